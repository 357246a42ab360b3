"""Every write of the evidence side: exports, packages, partner tokens (one module each)."""
