vcl 4.1;
# Varnish in front of gunicorn (see README, "Scaling out"). The app decides what may be
# shared: only responses it marks "public, s-maxage=N" are cached here (site/tpmsite/ops/cache.py).
# Publishing in Wagtail sends PURGE requests (wagtail.contrib.frontend_cache), handled below.
# Start: varnishd -a 127.0.0.1:6081 -f deploy/varnish.vcl -s malloc,256m

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers. Add their addresses when they run on other hosts.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # A purge drops the path and everything under it, whatever the query string and
        # host: one site per Varnish. The module page is "/", so purging it drops all.
        ban("obj.http.x-path ~ ^" + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per-visitor or private: the admin, previews, health checks, downloads, password forms,
    # anyone signed in (session cookie) or using an API token.
    if (req.url ~ "^/(admin|django-admin|documents|_util)/" || req.url ~ "^/(api/v3/preview|healthz)"
        || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Everyone else gets the same page: cookies (analytics, CSRF) must not split the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept for the ban above; "lurker-friendly" (matches obj.*, not req.*).
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Set-Cookie) {
        # Not marked shareable by the app: never cached, and no request queue behind it.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
