"""The JSON webhook other systems use to send notifications."""
