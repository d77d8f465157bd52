"""Everything that knows LiteLLM's wire format lives in this package."""
