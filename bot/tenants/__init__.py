"""Many workspaces: OAuth installations, their encrypted tokens, and which partnership each serves."""
