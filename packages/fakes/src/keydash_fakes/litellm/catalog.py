"""Word lists the generator draws from: plausible people, services, teams, models and labels.

Awkward entries (right-to-left scripts, emoji, combining accents, odd tags) sit beside ordinary
ones on purpose: a dashboard has to render and search them the same way.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Alice", "Bob", "Dana", "Kai", "Priya", "Mateo", "Zoë", "José", "Łukasz", "Søren",
    "Aaliyah", "Noa", "Hiroshi", "Fatima", "Olga", "Chidi", "Mei", "Lars", "Amara", "Tomás",
    "Ines", "Ravi", "Elif", "Jonas", "Yara", "Kwame", "Sofia", "Arjun", "Lena", "Omar",
)  # fmt: skip

LAST_NAMES = (
    "Martin", "Whitfield", "Nakamura", "Okafor", "Rossi", "Kowalski", "Haddad", "Cohen",
    "Lindqvist", "Fernández", "Patel", "Schmidt", "Mensah", "Ivanova", "Dubois", "O'Brien",
    "Nguyen", "Silva", "Yilmaz", "Andersen", "García", "Kim", "Mbeki", "Novak", "Costa",
)  # fmt: skip

# Display names people set for themselves in scripts that read right to left.
RTL_USER_ALIASES = ("ليلى حداد", "נועה כהן", "عمر الفاروق")

USER_ROLES = ("internal_user",) * 8 + ("internal_user_viewer", "proxy_admin")

TEAMS = (
    "team-finance",
    "6f1c2d4e-team-platform",
    "team-research",
    "team-support",
    "team-data",
    "team-growth",
    "9b2e7c1a-team-ml",
)

# Services that own keys without a person behind them, with the team that runs each.
SERVICES = (
    ("ci-pipeline", "6f1c2d4e-team-platform"),
    ("billing-batch-prod", "team-finance"),
    ("support-bot-prod", "team-support"),
    ("search-embedder", "team-data"),
    ("etl-nightly", "team-data"),
    ("analytics-staging", "team-growth"),
    ("marketing-copy-dev", "team-growth"),
    ("grafana-alerts", "6f1c2d4e-team-platform"),
    ("fraud-scoring", "team-finance"),
    ("eval-harness", "team-research"),
    ("docs-assistant", "team-support"),
    ("ranker-training", "9b2e7c1a-team-ml"),
)

# What people name their own keys: `alice-notebook`, `dana-laptop`, ...
PERSONAL_PURPOSES = (
    "notebook", "laptop", "sandbox", "experiments", "cli", "dev", "test", "prototype",
    "hackathon", "eval", "cursor", "scripts",
)  # fmt: skip

UNICODE_ALIASES = (
    "Ünïcödé — demo key 🔑",
    "مفتاح-الإنتاج",
    "מפתח-בדיקה",
    "🚀 launch-bot",
    "研究キー",
    "clé-équipe-données",
)

DESCRIPTIONS = (
    "Nightly invoice summarisation",
    "Customer support chatbot",
    "Embedding backfill for the search index",
    "CI integration tests",
    "Ad-hoc research notebook",
    "Marketing copy generation",
    "Weekly KPI report drafts",
    "Log anomaly triage",
    "Contract clause extraction",
    "Translation of help-centre articles",
    "Code review assistant",
    "Evaluation runs for the ranking model",
    "Temporary key for the Q3 hackathon",
    "Personal experiments, low budget",
    "Alerts summariser for on-call",
)

UNICODE_DESCRIPTIONS = (
    "Ünïcödé — demo key 🔑",
    "مفتاح لفريق الدعم",
    "מפתח לבדיקות אינטגרציה",
    "研究チーム用のキー",
    "Clé de test — équipe données",
    "🚀 launch experiments, do not share",
)

TAGS = (
    "prod", "staging", "dev", "finance", "research", "batch", "ci", "backend", "frontend",
    "notebook", "experimental", "support", "data", "ml", "internal", "customer-facing", "läbel",
)  # fmt: skip

MODELS = (
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "o3-mini",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "claude-opus-4-1",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "llama-3.1-70b",
    "llama-3.1-8b",
    "mistral-large",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "whisper-1",
)

# LiteLLM's reserved entries in a key's model list; an empty list means "whatever is allowed".
SPECIAL_MODEL_LISTS = (
    ["all-team-models"],
    ["all-proxy-models"],
    ["no-default-models"],
    ["claude-sonnet-4-5", "all-team-models"],
)

BUDGETS = (5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0)

BUDGET_DURATIONS = ("1d", "7d", "30d")

# Creators that are not key owners: the admin UI user, LiteLLM's placeholder, an automation bot.
ADMIN_CREATORS = (
    ("admin-user", "admin@example.com", "Platform Admin"),
    ("default_user_id", None, None),
    ("u-0007", "ops@example.com", "Ops bot"),
)

# Creator ids with no user row, so `created_by_user` stays null for their keys.
UNKNOWN_CREATORS = ("svc-terraform", "litellm-ui-session")

# User ids on keys whose owner has no LiteLLM user row (left the company, created by API, ...).
ORPHAN_OWNERS = (
    "u-9001",
    "former-employee@example.com",
    "svc-legacy",
    "contractor-17",
    "u-3318",
)
