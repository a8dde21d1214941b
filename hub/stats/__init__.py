"""Figures of the linkage work (linkageStats)."""
