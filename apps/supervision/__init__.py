"""督查督办 (supervision): the rectification ledger (问题整改台账).

models/problems.py (Problem, Milestone, Evidence, ProblemEvent, Reminder), services/problems.py (the ledger's
writes and the status table), services/deadlines.py (red/amber/green in working days), services/scans.py (the
daily 提醒/催办/督办 scan), services/notice.py (the 督办通知单 in Word), services/importing.py (the Excel
import with preview), permissions.py, and the pages in views/. docs/supervision.md describes the rules.

The credit red/black lists (信用红黑名单): models/credit.py, services/credit.py (entries, repairs, effect rules,
the effects and their log, ``credit_block_reason`` for the policies app), services/credit_import.py,
credit_forms.py, credit_selectors.py, views/credit.py and templates/supervision/credit/.
"""
