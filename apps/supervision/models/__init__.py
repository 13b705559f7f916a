from apps.supervision.models.problems import Evidence, Milestone, Problem, ProblemEvent, Reminder

__all__ = ["Evidence", "Milestone", "Problem", "ProblemEvent", "Reminder"]
