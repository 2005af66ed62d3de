# ruff: noqa
# pyst 0.9, asterisk/manager.py: the usage example of the module docstring.
# Changed: the import line, and the indentation of the lines after login() (in 0.9's
# docstring they are indented one column deeper, an IndentationError in any Python).
from pyst import compat as asterisk
import sys

def handle_shutdown(event, manager):
   print ("Received shutdown event")
   manager.close()
   # we could analyze the event and reconnect here

def handle_event(event, manager):
   print ("Received event: %s" % event.name)

manager = asterisk.manager.Manager()
try:
    # connect to the manager
    try:
       manager.connect('host')
       manager.login('user', 'secret')

       # register some callbacks
       manager.register_event('Shutdown', handle_shutdown) # shutdown
       manager.register_event('*', handle_event)           # catch all

       # get a status report
       response = manager.status()

       manager.logoff()
    except asterisk.manager.ManagerSocketException as err:
       errno, reason = err
       print ("Error connecting to the manager: %s" % reason)
       sys.exit(1)
    except asterisk.manager.ManagerAuthException as reason:
       print ("Error logging in to the manager: %s" % reason)
       sys.exit(1)
    except asterisk.manager.ManagerException as reason:
       print ("Error: %s" % reason)
       sys.exit(1)

finally:
   # remember to clean up
   manager.close()
