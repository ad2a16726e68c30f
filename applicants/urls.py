from django.urls import URLPattern, URLResolver

app_name = "applicants"

urlpatterns: list[URLPattern | URLResolver] = []
