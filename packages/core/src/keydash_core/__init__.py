"""Keydash domain: what a key is, how it is queried, and the ports the outside world plugs into."""
