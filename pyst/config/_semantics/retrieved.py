"""Names Asterisk's modules look up with ``ast_variable_retrieve`` (facts from its source).

Every name passed as a string literal, as the variable argument, to ``ast_variable_retrieve``,
``ast_variable_retrieve_filtered`` or ``ast_config_option`` in the C files of Asterisk
18.26.4, 20.20.1, 22.10.1 and master (``git grep`` over each tag, ``main/config.c`` and
``tests/`` left out), lower-cased.  Left out as well: ``exten``, which only voicemail message
files and realtime rows are read by, while extensions.conf repeats it by design.  Names that
modules read in a loop over every variable are not here: their duplicates all apply.
"""

from __future__ import annotations

_NAMES = """
accelerate adapter address adsifdn adsisec adsiver alias aliasescontext allowleapsecond
allowmultiplelogin alternateexts answait appendhostname appname attach attemptcallerid
audiobuffers authpassword authuser autoclear autofallthrough autofill autoload autoprov
backupdeleted basedn bindport branchlabel busy_timeout cachedir call-from-prompt
call_from_prompt callback callerchan callerid category cc_max_requests charset
cidinternalcontexts clearglobalvars columns confno connecting-prompt connecting_prompt
connection contact context cos country custom_levels dahdichan dateformat db-family
dbappname dbcharset dbhost dbname dbpass dbport dbsock dbuser declinecall device dialout
directoryintro display_callids displayconnects dispositionstring dsn dtls_mtu dtmftimeout
duration earlyalert ebl_alg emailaaddress emailaddress emailbody emailcharset
emaildateformat emailfromstring emailsubject enable_callee_prompt enabled encoding endalert
entry envelope escapecommas eventcmd eventspooldir exec_after_rotate exitcontext
expungeonhangup extendby extenpatternmatchnew externnotify externpass externpasscheck
externpassnotify facility fdtimeout featuredigittimeout festivalcommand flag
force_longest_waiting_caller forcegreetings forcename format forward_urgent_auto fromstring
fullname fuzzystart greetingfolder greetingsfolder hasdirectory hasexten hash323 hasiax
hasmanager hassip hasvoicemail hidefromdir host hostname hrtime icesupport id ignorebusy
imap_poll_logout imapclosetimeout imapflags imapfolder imapgreetings imapopentimeout
imapparentfolder imapport imapreadtimeout imapserver imapwritetimeout insecure insertsql
interface language leaveurgent listen-control-forward-key listen-control-pause-key
listen-control-restart-key listen-control-reverse-key listen-control-stop-key locale
log-caller-id-name log_membername_as_agent log_unpause_on_reason_change logger_queue_limit
logindividualevents logmembercount loguniqueid loguserfield loudness macrocontext mailbox
mailcmd max_penalty maxgreet maxlogins maxmessage maxmsg maxsecs maxsilence membername
messagewrap min_penalty minargs minmessage minpassword minsecs mode monitor-type moveheard
msg_id name negative_penalty_invalid newcdrcolumns nextaftercmd no_group_meta
norecording-prompt norecording_prompt nullvalue odbc_audio_on_disk odbcstorage odbctable
operator options-prompt options_prompt order_multi_row_results_by_initial_column ordinal
origdate origtime overrideswitch pageraddress pagerbody pagercharset pagerdateformat
pagerfromstring pagersubject pass password passwordlocation paused pbxskip penalty
persistentmembers phonenumber pin pls-hold-prompt pls_hold_prompt pollfreq pollmailboxes
port prefix priority probation protocol queue_log queue_log_name queue_log_realtime_use_gmt
queue_log_to_file quoted_identifiers radiuscfg raise_penalty read readhandle readsql
realtime_rules reason_paused registeriax registersip requirements resource_list review
ringinuse rotatestrategy rotatetimestamp rowlimit rtcpinterval rtpchecksums rtpend rtpstart
rule rule_name rule_order saycid sayduration saydurationm schedule schema sdtimeout
searchcontexts secret securityfeatures sendvoicemail sense serveremail shared_lastcall
show_user_defined silencethreshold single_db_connection skipms smdienable smdiport socket
sorry-prompt sorry_prompt srtpreplayprotection state_interface static status-prompt
status_prompt strategy strictrtp stun_software_attribute stunaddr stunaddr_reresolve_ttl_0
synopsis syntax table takecall tempgreetwarn template time timeout timestampformat timezone
tokenformat tos tps_queue_high tps_queue_low turnaddr turnpassword turnusername type tz
uniqueid url usecache usedirectory usegmtime user username userscontext values version
vm-invalid-password vm-login vm-mismatch vm-newpassword vm-newuser vm-passchanged
vm-password vm-pls-try-again vm-prepend-timeout vm-reenterpassword vmsecret volgain
wrapuptime write writehandle writeprotect writesql writetimeout
"""

#: Lower-cased names whose value a module takes from ``ast_variable_retrieve``.
RETRIEVED_NAMES: frozenset[str] = frozenset(_NAMES.split())
