"""The Lark grammar of Asterisk ``.conf`` files, shipped as package data.

``asterisk_conf.lark`` here is the project's ``grammar/asterisk_conf.lark``.
"""
