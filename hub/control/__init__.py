"""Control requests (查控之"控"): officers ask departments to freeze, deduct, seal, locate or
check wages; departments answer; answers put measures on assets (docs/control.md)."""
