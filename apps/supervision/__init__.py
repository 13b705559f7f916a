"""督查督办 (supervision): the rectification ledger (问题整改台账), commitments to investors, supervision tasks
(督办事项) and typical cases (典型案例).

models/problems.py (Problem, Milestone, Evidence, ProblemEvent, Reminder), services/problems.py (the ledger's
writes and the status table), services/deadlines.py (red/amber/green in working days), services/scans.py (the
daily 提醒/催办/督办 scan), services/notice.py (the 督办通知单 in Word), services/importing.py (the Excel
import with preview); models/commitments.py and services/commitments.py (commitments to investors);
models/tasks.py, services/tasks.py and services/task_periods.py (supervision tasks, their 旬报/月报 periods and the
month's overdue list); models/cases.py and services/cases.py (typical cases); task_forms.py and task_selectors.py;
permissions.py, and the pages in views/. docs/supervision.md describes the rules.

Government defaults (政府违约失信): models/defaults.py, services/defaults.py, forms_defaults.py, views/defaults.py.
The credit red/black lists (信用红黑名单): models/credit.py, services/credit.py (entries, repairs, effect rules,
the effects and their log, ``credit_block_reason`` for the policies app), services/credit_import.py,
credit_forms.py, credit_selectors.py, views/credit.py and templates/supervision/credit/.
"""
