# ruff: noqa
# pyst 0.9, asterisk/config.py: the usage example of the module docstring.
# Changed: the import line, and the Python 2 syntax (print statements, 'except X, e').
from pyst import compat as asterisk
import sys

# load and parse the config file
try:
   config = asterisk.config.Config('/etc/asterisk/extensions.conf')
except asterisk.config.ParseError as error:
   (line, reason) = error
   print("Parse Error line: %s: %s" % (line, reason))
   sys.exit(1)
except IOError as reason:
   print("Error opening file: %s" % reason)
   sys.exit(1)

# print our parsed output
for category in config.categories:
   print('[%s]' % category.name)  # print the current category

   for item in category.items:
      print('   %s = %s' % (item.name, item.value))

