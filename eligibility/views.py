from django.shortcuts import render


def check(request):
    """The eligibility checker's address; the questions come with the checker itself."""
    return render(request, "eligibility/check.html")
