"""The risk assessment matrix: the editor dialog of a visit's assessment and the reusable
5×5 heat-map (embedded read-only by the DSL's approval screen)."""

from hvdesk.ui.risk_matrix.assessment_dialog import RiskAssessmentDialog, open_risk_assessment
from hvdesk.ui.risk_matrix.heat_map import HeatMap

__all__ = ["HeatMap", "RiskAssessmentDialog", "open_risk_assessment"]
