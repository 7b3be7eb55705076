"""Errors under /api/v1/ in JSON, whoever answers them."""

from django.http import JsonResponse

from .api import ROOT


class ApiErrorsMiddleware:
    """An error answered in HTML under /api/v1/ (an address the API does not have, a
    method it does not take) is answered in JSON, as the API's own errors are, and
    open to any origin like them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(ROOT)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            error = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            if "Allow" in response:
                error["Allow"] = response["Allow"]
            error["Access-Control-Allow-Origin"] = "*"
            return error
        return response
