"""Pitch competitions for machines (read only): GET /api/v1/pitch/{pitch_id}/rounds — the rounds
with rubric, rule and status (its organisers and its judges); GET /api/v1/pitch/rounds/{round_id}/scores
— a judge's own scores in the round, or every entry's sheet for its organisers; GET
/api/v1/pitch/{pitch_id}/results — the final's ranking and awards, public once released (its
organisers see the live ranking before)."""
from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _

from app.api.bp import bp
from app.api.views import _bearer_user, token_required
from app.errors import Conflict, PermissionDenied
from app.pitch import services as ps


def _round_json(round_) -> dict:
    return {"id": round_.id, "position": round_.position, "name": round_.name, "kind": round_.kind,
            "status": round_.status, "rule": None if round_.is_final else round_.rule,
            "advance_count": round_.advance_count,
            "threshold": str(round_.threshold) if round_.threshold is not None else None,
            "tie_break_criterion": round_.tie_break_criterion_id, "unbroken_tie": round_.unbroken_tie,
            "criteria": [{"id": c.id, "name": c.name, "weight": c.weight, "max_score": c.max_score}
                         for c in round_.criteria]}


@bp.route("/pitch/<int:pitch_id>/rounds", methods=["GET"])
@token_required
def pitch_rounds(pitch_id: int):
    competition = ps.get_competition(pitch_id)
    user = g.api_user
    if not ps.can_run(user, competition) and not any(ps.is_panel(user, r) for r in competition.rounds):
        raise PermissionDenied()
    return jsonify(competition={"id": competition.id, "name": competition.name, "year": competition.year,
                                "status": competition.status},
                   items=[_round_json(r) for r in competition.rounds])


def _score_json(score) -> dict:
    return {"entry": score.entry_id, "criterion": score.criterion_id, "judge": score.judge_id,
            "value": str(score.value), "comment": score.comment}


@bp.route("/pitch/rounds/<int:round_id>/scores", methods=["GET"])
@token_required
def pitch_round_scores(round_id: int):
    round_ = ps.get_round(round_id)
    user = g.api_user
    if ps.can_run(user, round_.competition):
        return jsonify(round=round_.id, items=[{
            "entry": s.entry.id, "code": s.entry.code, "total": str(s.total) if s.total is not None else None,
            "complete": s.complete, "confirmed": s.confirmed, "flagged": [f.criterion.id for f in s.flagged],
            "scores": [_score_json(score) for st in s.states for score in st.scores]}
            for s in ps.round_sheets(round_)])
    if not ps.is_panel(user, round_):
        raise PermissionDenied()
    own = [score for s in ps.round_sheets(round_) for st in s.states for score in st.scores
           if score.judge_id == user.id]
    return jsonify(round=round_.id, items=[_score_json(score) for score in own])


@bp.route("/pitch/<int:pitch_id>/results", methods=["GET"])
def pitch_results(pitch_id: int):
    competition = ps.get_competition(pitch_id)
    user = _bearer_user()  # a token is optional here: organisers see the live ranking
    ps.require_public(user, competition)
    if not competition.is_released and not ps.can_run(user, competition):
        raise Conflict(_("The results are not released yet."), code="not_released")
    return jsonify(ps.screen(competition))
