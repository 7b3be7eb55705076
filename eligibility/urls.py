from django.urls import path

from . import views

app_name = "eligibility"

urlpatterns = [
    path("", views.check, name="check"),
    path("questions/", views.questions, name="questions"),
    path("results/", views.results, name="results"),
    path("how/", views.how, name="how"),
]
