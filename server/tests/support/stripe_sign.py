"""Signs a webhook payload the way Stripe does, with Stripe's own Python library.

Usage: stripe_sign.py SECRET [TIMESTAMP] < payload  → prints the Stripe-Signature header.
"""
import sys
import time

from stripe import WebhookSignature

secret = sys.argv[1]
timestamp = int(sys.argv[2]) if len(sys.argv) > 2 else int(time.time())
payload = sys.stdin.read()
signature = WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
# Stripe's own check of what we send: the library must accept its signature.
WebhookSignature.verify_header(payload, f"t={timestamp},v1={signature}", secret, tolerance=None)
print(f"t={timestamp},{WebhookSignature.EXPECTED_SCHEME}={signature}", end="")
