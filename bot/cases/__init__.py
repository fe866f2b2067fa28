"""Cases: one serious incident notification and everything that follows from it."""
