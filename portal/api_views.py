from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class Me(APIView):
    """The signed-in user: who they are and the timezone their days are counted in."""

    class Output(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        email = serializers.EmailField()
        timezone = serializers.CharField()

    @extend_schema(responses=Output, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(self.Output(request.user).data)
