"""The weekly chair digest: a reminder row per chair per week, composed when it is sent."""
