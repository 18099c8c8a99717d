"""Learners' comments, the public side: the form under a lesson (or the module page), its own
endpoint, the rules that keep spam out, and keeping cached pages true to what is approved.

Posting goes to /comments/<page id>/, never to the page, so pages stay one cacheable document
for every anonymous reader. That rules out Django's CSRF token (a cached page would hand one
visitor's token to all), and a comment from a stranger is no authenticated action to forge;
what must not happen is the form becoming a relay for spam posted from other sites. So:
the browser's Origin (or Referer) must be this site; the form carries a signed token naming
its page and when it was drawn; a honeypot field; a minimum fill time; a rate limit per
address (the same trusted-proxy client address as the login lockout); links counted as spam.
Whatever the rule that refuses a comment, the learner reads the same message.
"""

import re
import time

from django import forms
from django.core import signing
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from tpmsite.ops.cache import content_changed
from tpmsite.ops.client_ip import client_ip
from wagtail.models import Page

from roles.models.comments import NAME_LENGTH, TEXT_LENGTH, Comment
from roles.visibility import is_visible

SALT = "roles.comments"
MIN_SECONDS = 3  # a person takes longer than this to read a lesson's end and type
RATE = (5, 600)  # at most five comments per address in ten minutes
MAX_LINKS = 2  # more than this many links, and it waits in "spam" for an editor to look
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
REFUSED = (
    "We could not take your comment just now. Wait a minute, then send it again; "
    "if it keeps happening, write to the learning team."
)
COMMENTABLE = ("roles.LessonPage", "roles.ModulePage")


def token_for(page):
    """The form's token: its page, and when it was drawn. It does not expire: a cached page
    keeps its token for as long as it is cached (so for cached pages the fill time counts
    from when the page was drawn, a weaker rule; the others hold)."""
    return signing.dumps({"page": page.pk, "drawn": time.time()}, salt=SALT)


class CommentForm(forms.Form):
    name = forms.CharField(label="Display name", max_length=NAME_LENGTH)
    text = forms.CharField(
        label="Your question or comment",
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Plain text, at most {TEXT_LENGTH} characters. An editor reads it before "
        "it is shown.",
    )
    # Left empty by people (hidden from them and from screen readers); bots fill every field.
    website = forms.CharField(required=False, label="Leave this empty")
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None and not self.is_bound:
            self.initial["token"] = token_for(page)
        self.fields["text"].widget.attrs["aria-describedby"] = "id_text-help"

    def tie_errors(self):
        """Each field's error named by the field itself, for screen readers."""
        for name in self.errors:
            if name in ("name", "text"):
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    filter(None, [attrs.get("aria-describedby"), f"id_{name}-error"])
                )

    def is_spam_trap(self):
        """True when a rule for machines fired (which, the learner is never told)."""
        if self.cleaned_data.get("website"):
            return True
        try:
            data = signing.loads(self.cleaned_data.get("token", ""), salt=SALT)
        except signing.BadSignature:
            return True
        if not isinstance(data, dict) or data.get("page") != self.page.pk:
            return True
        drawn = data.get("drawn")
        if not isinstance(drawn, int | float):
            return True
        return time.time() - drawn < MIN_SECONDS


def from_this_site(request):
    """The post came from a page of this site (Origin, else Referer; either is sent by every
    browser on a cross-site form post). A request with neither is not a browser's: refused."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return False
    return url_has_allowed_host_and_scheme(
        origin, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def over_rate(request):
    key = f"comments:rate:{client_ip(request)}"
    limit, window = RATE
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=window)
        return False


@csrf_exempt  # see the module's docstring: cached pages, and the rules above instead
@require_POST
def post_comment(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if page._meta.label not in COMMENTABLE or not is_visible(page):
        raise Http404
    form = CommentForm(request.POST, page=page)
    if not from_this_site(request):
        status = 403
    elif over_rate(request):
        status = 429
    elif not form.is_valid():
        status = 400  # what to fix is shown at each field
    elif form.is_spam_trap():
        status = 400
    else:
        text = form.cleaned_data["text"]
        Comment.objects.create(
            page=page,
            name=form.cleaned_data["name"],
            text=text,
            status=Comment.SPAM if len(LINK.findall(text)) > MAX_LINKS else Comment.PENDING,
            ip_address=client_ip(request) or None,
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        return TemplateResponse(request, "roles/comment_posted.html", {"page": page})
    if status != 400 or form.is_valid():  # refused by a rule: one message, whichever it was
        form.add_error(None, REFUSED)
    form.tie_errors()
    # The form again, with the learner's words and a fresh token.
    form.data = form.data.copy()
    form.data["token"] = token_for(page)
    form.data["website"] = ""
    return TemplateResponse(
        request, "roles/comment_posted.html", {"page": page, "form": form}, status=status
    )


def approved_comments(page):
    return list(Comment.objects.approved().filter(page=page))


def comment_changed(sender, instance, raw=False, **kwargs):
    # An approved comment appearing, changing or going changes the page readers get: drop
    # cached copies (Redis and Varnish) as a publish does. Pending ones change nothing seen.
    # Not while a backup is loaded (raw), and by id: the page may be going in the same delete.
    if instance.shown_to_readers and not raw:
        content_changed(instance=Page.objects.filter(pk=instance.page_id).first())


post_save.connect(comment_changed, sender=Comment, dispatch_uid="comment-changed")
post_delete.connect(comment_changed, sender=Comment, dispatch_uid="comment-deleted")
