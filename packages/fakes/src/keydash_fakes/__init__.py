"""Stand-ins for tests and the demo. Never wired into production by default."""
