"""Tenant isolation of every kelola page of this app (filled in with the app's routes)."""

GET_PAGES: dict = {}
POST_ACTIONS: dict = {}
