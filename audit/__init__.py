"""The staff audit log: an append-only record of every staff action and staff sign-in.

Services record through `audit.services.record(actor, action, target, **detail)` inside the
transaction of the action itself; national admins read and download it on kelola (audit/).
"""
