"""Alerts (提醒): raised once per event and recipient, kept in the graph (docs/alerts.md)."""
