from django.shortcuts import render


def start(request):
    return render(request, "public/complain/start.html")


def rate_limited(request, exception=None):
    return render(request, "public/complain/rate_limited.html", status=429)
