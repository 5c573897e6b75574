"""Billing Desk: billing-error cases under Fort Collins City Code Sec. 26-721."""

__version__ = "0.1.0"
