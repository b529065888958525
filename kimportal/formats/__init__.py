"""The portal's date and time formats per language (FORMAT_MODULE_PATH = ["kimportal.formats"]).

One format per language everywhere: templates say `|date:"DATETIME_FORMAT"` (or DATE_FORMAT,
TIME_FORMAT) instead of spelling a pattern, so kelola and the public pages agree.
"""
