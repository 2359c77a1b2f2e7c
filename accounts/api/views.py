from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access.declarations import Scope, declare

from ..selectors import user_memberships, user_roles
from .serializers import MeSerializer


@declare(Scope.SELF)
class MeView(APIView):
    """The logged-in user, their teams and roles."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve", tags=["accounts"])
    def get(self, request: Request) -> Response:
        user = request.user
        teams: dict[int, dict] = {}
        for membership in user_memberships(user):
            team = teams.setdefault(
                membership.team_id,
                {
                    "uuid": membership.team.uuid,
                    "name": membership.team.name,
                    "organisation": membership.team.organisation.name,
                    "roles": [],
                },
            )
            team["roles"].append(membership.role)
        user.teams = sorted(teams.values(), key=lambda t: t["name"])
        user.roles = sorted(user_roles(user))
        return Response(MeSerializer(user).data)
