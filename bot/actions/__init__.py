"""Action plans: what the partnership will do to make children safer, tracked to done."""
