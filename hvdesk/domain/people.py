"""Who is who: the roles of accounts and the job roles of visiting staff."""

from __future__ import annotations

from hvdesk.domain.labels import LabelledEnum


class Role(LabelledEnum):
    """What a signed-in user may do (permissions are enforced in services)."""

    RECEPTION = ("reception", "Reception / school office")
    VISITING_STAFF = ("visiting_staff", "Visiting staff")
    DSL = ("dsl", "Designated Safeguarding Lead")
    DEPUTY_DSL = ("deputy_dsl", "Deputy DSL")
    HEADTEACHER = ("headteacher", "Headteacher")
    SLT = ("slt", "Senior leadership (SLT)")
    ADMINISTRATOR = ("administrator", "Administrator")


class JobRole(LabelledEnum):
    """The job a member of staff does, as printed on the Home Visit Form."""

    ATTENDANCE_OFFICER = ("attendance_officer", "Attendance officer")
    FAMILY_SUPPORT_WORKER = ("family_support_worker", "Family support worker")
    TEACHER = ("teacher", "Teacher")
    TUTOR = ("tutor", "Tutor")
    TEACHING_ASSISTANT = ("teaching_assistant", "Teaching assistant")
    PASTORAL_LEAD = ("pastoral_lead", "Pastoral lead")
    SENCO = ("senco", "SENCo")
    SLT = ("slt", "Senior leader")
    DSL = ("dsl", "Designated Safeguarding Lead")
    DEPUTY_DSL = ("deputy_dsl", "Deputy DSL")
    HEADTEACHER = ("headteacher", "Headteacher")
    OFFICE = ("office", "School office")


class DbsLevel(LabelledEnum):
    """Level of a DBS check (003 asks for enhanced with barred list)."""

    NONE = ("none", "None")
    BASIC = ("basic", "Basic")
    STANDARD = ("standard", "Standard")
    ENHANCED = ("enhanced", "Enhanced")
    ENHANCED_BARRED = ("enhanced_barred", "Enhanced with barred list")
