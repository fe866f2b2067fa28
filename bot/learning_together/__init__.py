"""Learning Together reviews: the plan, key practice episodes, the family, parallel proceedings."""
