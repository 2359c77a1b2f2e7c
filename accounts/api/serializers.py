from rest_framework import serializers

from ..models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["uuid", "name", "type"]


class MeTeamSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name")
    organisation = OrganisationSerializer(allow_null=True)
    teams = MeTeamSerializer(many=True)
    roles = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = User
        fields = ["uuid", "username", "name", "email", "organisation", "teams", "roles"]
