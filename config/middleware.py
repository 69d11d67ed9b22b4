"""The client's address when the app sits behind the full stack's proxy.

Behind Caddy every connection comes from the proxy, so REMOTE_ADDR would name the proxy for
every visitor and per-client limits would count the whole public together. The proxy puts the
address it saw in X-Real-IP, replacing whatever the client sent (Caddyfile). This middleware is
installed only when BEHIND_TLS_PROXY=1, i.e. when nothing but the proxy can reach the app.
"""

import ipaddress


class ProxiedClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = request.META.get("HTTP_X_REAL_IP", "").strip()
        try:
            ipaddress.ip_address(address)
        except ValueError:
            pass  # absent or malformed: keep the connection's own address
        else:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
