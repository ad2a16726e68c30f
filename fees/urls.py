from django.urls import URLPattern, URLResolver, path

from fees import views

app_name = "fees"

urlpatterns: list[URLPattern | URLResolver] = [
    path("fees/calculator/", views.calculator, name="calculator"),
]
