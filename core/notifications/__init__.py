"""Messaging: the one notification service and everything around it (README, "Notifications").

- `services`: every kind of notice the platform sends (`KINDS`), stored in the inbox and delivered per settings
- `channels`: the adapters that send one message by e-mail, WhatsApp or SMS and report what the provider said
- `preferences`: a person's channels per kind, WhatsApp number verification, unsubscribing
- `selectors`: the inbox, the unread count, the staff's delivery log
- `views`: the inbox, the settings page, the WhatsApp webhook
- `tasks`: the delivery task (claimed once, retried with backoff)
"""
