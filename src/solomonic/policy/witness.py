"""From a z3 model to a realistic request: a real action, a resource of a type it takes, a plausible principal.

The encoding reasons about every string (`analyse` needs that for "no difference" to mean every request), so
a model may name the action `s3:get` only because `s3:Get*` matches it. A witness must be a request a user
can recognise (issue 23, *Evidence*): `Realism` adds constraints that keep the solver among

* actions: real catalogue names. The decision depends on an action only through which of the policies'
  action patterns it matches (its *signature*), so a few real actions per signature (with different resource
  types) stand for all the others; candidates are the catalogue's matches of each pattern plus `COMMON`;
* resources: the ARN templates of the chosen action (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`),
  each `${...}` part some text of the characters such names use (`"*"` for an action that takes no resource);
* principals: `*`, an IAM role or user ARN, a service principal, or a principal the policies name;
* values: printable strings, `true`/`false`, dates between 1970 and 9999, numbers with at most two decimals.

`request` then reads the model into a `model.Request`, every context key the policies mention and the
model makes present included, each value written as AWS sends it.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from fractions import Fraction

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.arn_templates import (
    PLACEHOLDER,
    example_of,
    fits,
    glob_tokens,
    may_meet,
    meeting,
    shape_of,
    shaped,
    template_regex,
    template_tokens,
    templates,
)
from solomonic.policy.encode import Encoder
from solomonic.policy.encode_request import PROVIDER_NAME, Key
from solomonic.policy.model import FEDERATED_SESSION_ACTIONS, SAML_ACTION, WEB_IDENTITY_ACTION, Request
from solomonic.policy.portfolio import Deadline

PER_SIGNATURE = 4
MAX_SHAPES = 300  # resource shapes per action signature that `real_request` tells apart; past it, any resource
# real actions of the services policies most often grant, so that "an action none of the patterns names"
# (NotAction, a Deny's complement) has candidates too
COMMON = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:ListAllMyBuckets",
          "ec2:DescribeInstances", "ec2:RunInstances", "iam:CreateUser", "iam:PassRole", "iam:CreateAccessKey",
          "sts:AssumeRole", "kms:Decrypt", "kms:Encrypt", "lambda:InvokeFunction", "sqs:SendMessage",
          "sns:Publish", "dynamodb:GetItem", "logs:PutLogEvents", "secretsmanager:GetSecretValue",
          "ssm:GetParameter", "cloudwatch:PutMetricData")
_PRINTABLE = z3.Star(z3.Range(" ", "~"))
_SERVICE = z3.Concat(z3.Plus(z3.Range("a", "z")), z3.Re(".amazonaws.com"))
_IAM_NAME = re.compile(r"arn:[^:]+:iam::[^:]*:(.+)")  # the account may be a filled wildcard
_PROVIDER = re.compile(r"(?:saml|oidc)-provider/.")  # the name of an identity provider's ARN
_USUAL = {"Partition": "aws", "Region": "us-east-1", "Account": "111122223333", "AccountId": "111122223333"}
_LAST_DATE = int(datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp())


def _glob(pattern: str) -> re.Pattern[str]:
    """An action pattern as a Python regular expression (case-insensitive glob), to sort catalogue names."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern),
                      re.IGNORECASE | re.DOTALL)


def _signature(patterns: list[re.Pattern[str]], action: str) -> tuple[bool, ...]:
    return tuple(regex.fullmatch(action) is not None for regex in patterns)


def action_choices(catalogue: object, patterns: Iterable[str], resources: Iterable[str] = (),
                   also: Iterable[str] = ()) -> dict[str, str]:
    """A few real actions per signature over `patterns`: lower-case name -> name as AWS spells it: one for
    each of the policies' `resources` (other than `*`) an action of the signature can take, and those whose
    resource types fit `resources` first."""
    resources = sorted(set(resources))
    patterns = sorted({p.lower() for p in patterns})
    compiled = [_glob(p) for p in patterns]
    candidates: dict[str, str] = {}
    for pattern in patterns:
        if pattern.split(":", 1)[0] not in ("*", ""):  # a pattern for every service adds nothing to COMMON
            candidates.update((name.lower(), name) for name in catalogue.actions(pattern))  # type: ignore[attr-defined]
    # every action of the services the policies name (in actions or in resource ARNs): a NotAction or a
    # Deny's complement then has candidates that take the policies' own resources
    services = {p.split(":", 1)[0] for p in patterns} | {r.split(":")[2] for r in resources if r.count(":") >= 5}
    for service in sorted(s for s in services if s and "*" not in s and "?" not in s):
        candidates.update((name.lower(), name) for name in catalogue.actions(f"{service}:*"))  # type: ignore[attr-defined]
    candidates.update((name.lower(), name) for name in COMMON if catalogue.exists(name))  # type: ignore[attr-defined]
    kept: dict[tuple[bool, ...], dict[tuple[str, ...], str]] = {}
    covered: dict[tuple[bool, ...], set[str]] = {}
    # per signature, one action for each resource pattern other than `*` that an action of it can take, then
    # more up to PER_SIGNATURE: beside a statement on `Resource: *` every action fits, and the first few by
    # name (`athena:...`) would stand for a NotAction's complement where only a `kms:` action takes the key
    # another statement names
    named = [r for r in resources if r != "*"]
    arns_of = {lower: tuple(templates(catalogue, name)) for lower, name in candidates.items()}
    takes = {lower: {r for r in named if fits(arns, [r])} for lower, arns in arns_of.items()}
    ranked = sorted(candidates, key=lambda lower: (not takes[lower], not fits(arns_of[lower], resources), lower))
    for lower in ranked:
        signature = _signature(compiled, lower)
        by_templates = kept.setdefault(signature, {})
        seen = covered.setdefault(signature, set())
        if arns_of[lower] not in by_templates and (takes[lower] - seen or len(by_templates) < PER_SIGNATURE):
            by_templates[arns_of[lower]] = lower
            seen |= takes[lower]
    chosen = {lower: candidates[lower] for group in kept.values() for lower in group.values()}
    chosen.update((name.lower(), name) for name in also if catalogue.exists(name))  # type: ignore[attr-defined]
    return chosen


class Realism:
    """The constraints that keep a model realistic (module docstring) for the policies of `encoder`."""

    def __init__(self, encoder: Encoder, catalogue: Callable[[], object], also: Iterable[str] = ()) -> None:
        self.encoder = encoder
        self.also = tuple(also)  # actions a question is about (iam:PassRole), always among the candidates
        if any(s.principals is not None for p in encoder.policies for s in p.statements):
            # a resource policy may grant a federated principal, which sends only these (`encode_request`):
            # where a difference is its users', one of them shows it
            self.also += (SAML_ACTION, WEB_IDENTITY_ACTION, *FEDERATED_SESSION_ACTIONS)
        self._catalogue = catalogue
        self._written = [a for p in encoder.policies for s in p.statements for a in s.actions]
        self.patterns = [_glob(a) for a in sorted({a.lower() for a in self._written})]
        self.named_principals: list[str] = sorted({e.value for p in encoder.policies for s in p.statements
                                        for e in (s.principals or ()) if e.value != "*"})
        # the IAM principals the policies name, in Principal or as aws:PrincipalArn values, their wildcards
        # filled two ways ('*' as nothing and as 'x'), so that `role/admin-*` and `role/admin-*x` part
        # (`role/admin-` matches only the first)
        arns = [*self.named_principals, *(re.sub(r"\?", "x", v.replace("*", star)) for p in encoder.policies
                                          for s in p.statements for c in s.conditions
                                          if c.key.lower() == "aws:principalarn" for v in c.values
                                          for star in ("", "x"))]
        self.named_iam_names = sorted({m[1] for arn in arns if (m := _IAM_NAME.fullmatch(arn))})
        self._passed: tuple[dict[tuple[bool, ...], set[tuple[str, ...]]], dict[tuple[bool, ...], list[str]]] | None = None
        self._grantable: dict[str, bool] = {}

    @functools.cached_property
    def catalogue(self) -> object:
        """The catalogue, loaded on first use: an answer without a witness never needs it."""
        return self._catalogue()

    @functools.cached_property
    def actions(self) -> dict[str, str]:
        resources = [r for p in self.encoder.policies for s in p.statements for r in (s.resources or ("*",))]
        return action_choices(self.catalogue, self._written, resources, self.also)

    def ordered(self, unrealistic_action: str) -> list[str]:
        """The candidate actions, the solver's own first where it is a real one (a question about
        `iam:PassRole` fixes it: every other candidate would be a failed try), then those with its signature:
        for them only the resource and the values need to change."""
        signature = _signature(self.patterns, unrealistic_action)
        return sorted(self.actions, key=lambda a: (a != unrealistic_action, _signature(self.patterns, a) != signature))

    def action(self, lower: str, concrete: bool) -> list[list[z3.BoolRef]]:
        """Alternatives for "the request's action is the real action `lower`, on a resource of a type it
        takes": with `concrete`, one per example ARN (the policies' own resources with their wildcards filled,
        each template filled with examples), as equalities z3 decides at once (a disjunction of them, or a
        template's regular expression, can cost it seconds); else one, any ARN of the templates' shapes."""
        request = self.encoder.request
        action = request.action == z3.StringVal(lower)
        arns = templates(self.catalogue, self.actions[lower])
        if concrete:
            examples = dict.fromkeys(a for t in arns for a in self._examples(t))
            return [[action, request.resource == z3.StringVal(a)] for a in examples]
        return [[action, z3.Or([z3.InRe(request.resource, template_regex(t)) if t != "*"
                                else request.resource == z3.StringVal("*") for t in arns])]]

    def _examples(self, template: str) -> list[str]:
        if template == "*":
            return ["*"]
        shape = shape_of(template)
        filled = [example_of(r) for p in self.encoder.policies for s in p.statements for r in (s.resources or ())
                  if "${" not in r.replace("${*}", "").replace("${?}", "").replace("${$}", "")]
        parts = PLACEHOLDER.findall(template)
        example, usual = template, template
        for index, name in enumerate(parts):
            fill = _USUAL.get(name, "example-object" if index == len(parts) - 1 else "example")
            example = example.replace("${" + name + "}", fill, 1)
            usual = usual.replace("${" + name + "}", _USUAL.get(name, "${" + name + "}"), 1)
        # the template's parts solved against each of the policies' resource patterns: the resource is then
        # one a pattern matches (`log-group:/aws/route53/*` and `log-group:${Name}:log-stream:${Stream}` meet
        # in `log-group:/aws/route53/x:log-stream:x`), with the usual partition, region and account if it can
        patterns = [r for p in self.encoder.policies for s in p.statements for r in (s.resources or ())]
        met = [found for pattern in patterns for form in (usual, template)
               if (found := meeting(template_tokens(tuple(PLACEHOLDER.split(form)[::2]), 1),
                                     glob_tokens(pattern))) is not None][:2 * len(patterns)]
        return [a for a in dict.fromkeys([*filled, *met, example]) if shape.fullmatch(a)]

    def real_request(self, deadline: Deadline, well_formed: bool = False) -> z3.BoolRef | None:
        """The request behaves as one a real caller can send: its action matches exactly the policies' action
        patterns that some catalogue action matches (the decision sees an action only through them), and its
        resource has the shape of a type one of those actions takes (`arn:${Partition}:rds:...:db:${Name}`,
        each `${...}` part any text, so that every real ARN of the type is among them; with `well_formed`,
        any text without ':', `arn_templates.shaped`). An IAM identity is not named as an identity provider
        is (its name starts `user/`, `role/`, ...; the universe leaves that open, `encode_request`). None when
        the deadline passes first (a pass over the whole catalogue takes a second on a busy machine)."""
        passed = self._catalogue_pass(deadline)
        if passed is None:
            return None
        shapes, _ = passed
        request = self.encoder.request
        regexes = [z3.InRe(request.action, strings.glob_regex(strings.read(p.lower(), variables=False), {}))
                   for p in sorted({a.lower() for a in self._written})]
        identity_named_so = z3.Implies(request.is_identity, z3.Not(z3.InRe(request.name, PROVIDER_NAME)))
        return z3.And(identity_named_so, z3.Or([
            z3.And(*(r if bit else z3.Not(r) for r, bit in zip(regexes, signature)),
                   shaped(request.resource, kept, well_formed) if len(kept) <= MAX_SHAPES else z3.BoolVal(True))
            for signature, kept in sorted(shapes.items())]))

    def widened(self, deadline: Deadline) -> list[str]:
        """More candidate actions, from any service: per signature, a few whose resource types can meet a
        resource pattern of the policies' Allow statements, added to `actions`. The first candidates come from
        the services the policies name; a difference may need another's (`backup:CopyFromBackupVault` takes
        recovery points of any vendor, on ARNs a `dynamodb:...:table/*` pattern matches)."""
        passed = self._catalogue_pass(deadline)
        if passed is None:
            return []
        extra: dict[str, str] = {}
        for _, names in sorted(passed[1].items()):
            by_templates: dict[tuple[str, ...], str] = {}
            for name in names:
                arns = tuple(templates(self.catalogue, name))
                if name.lower() not in self.actions and len(by_templates) < PER_SIGNATURE:
                    by_templates.setdefault(arns, name)
            extra.update((name.lower(), name) for name in by_templates.values())
        self.actions.update(extra)
        return sorted(extra)

    def _catalogue_pass(self, deadline: Deadline) -> tuple[dict[tuple[bool, ...], set[tuple[str, ...]]],
                                                           dict[tuple[bool, ...], list[str]]] | None:
        """One pass over the catalogue (kept): per signature an Allow can grant, the shapes of the resource
        types that can meet the Allow statements' resource patterns, and the actions that take them. None when
        the deadline passes first."""
        if self._passed is not None:
            return self._passed
        granted = self._granted_resources()
        granted_actions = self._granted_signature()
        shapes: dict[tuple[bool, ...], set[tuple[str, ...]]] = {}
        # the takers of a signature in catalogue order, kept as a dict's keys: under `Action: *` every action
        # has one signature, and a list's membership test made the pass quadratic (3 s of CPU for an SCP)
        takers: dict[tuple[bool, ...], dict[str, None]] = {}
        meets: dict[str, bool] = {}  # per template: many actions share one, and `may_meet` is the costly part

        def met(template: str, pieces: tuple[str, ...]) -> bool:
            if template not in meets:
                meets[template] = granted is None or any(may_meet(template, pieces, p) for p in granted)
            return meets[template]

        for name in self.catalogue.actions("*"):  # type: ignore[attr-defined]
            if deadline.expired:
                return None
            signature = _signature(self.patterns, name.lower())
            if not granted_actions(signature):
                continue  # no Allow of either policy names such an action: no request with it is allowed
            found = shapes.setdefault(signature, set())
            for template in templates(self.catalogue, name):
                pieces = tuple(PLACEHOLDER.split(template)[::2])
                if met(template, pieces):
                    found.add(pieces)
                    takers.setdefault(signature, {})[name] = None
        self._passed = (shapes, {signature: list(names) for signature, names in takers.items()})
        return self._passed

    def _granted_signature(self) -> Callable[[tuple[bool, ...]], bool]:
        """Could an action of this signature be allowed by either policy: does an Allow statement name one of
        the patterns it matches, or use NotAction (which may leave it out)? The others are left out of
        `real_request`: the question is about requests one policy allows, and each would only add resource
        shapes to a union z3 must take apart (130 EC2 shapes cost it 20 s, past its own timeout)."""
        index = {text: i for i, text in enumerate(sorted({a.lower() for a in self._written}))}
        granting: list[list[int]] = []
        for policy in self.encoder.policies:
            for statement in policy.statements:
                if statement.effect != "Allow":
                    continue
                if statement.not_action:
                    return lambda _: True
                granting.append([index[a.lower()] for a in statement.actions])
        return lambda signature: any(signature[i] for indices in granting for i in indices)

    def may_be_granted(self, lower: str) -> bool:
        """Could a request with the candidate action `lower`, on a resource of a type it takes, be allowed by
        either policy: can one of its ARN templates meet a resource pattern of an Allow statement (`may_meet`,
        as `real_request` asks it)? Every question asks for a request some policy allows, so the tries of an
        action that cannot are skipped unasked (an S3 bucket's NotAction mutant tried eight actions of other
        services on any ARN of their types, each unsat, 0.05 s apiece)."""
        granted = self._granted_resources()
        if granted is None:
            return True
        if lower not in self._grantable:
            self._grantable[lower] = any(
                may_meet(template, tuple(PLACEHOLDER.split(template)[::2]), pattern)
                for template in templates(self.catalogue, self.actions[lower]) for pattern in granted)
        return self._grantable[lower]

    def _granted_resources(self) -> list[str] | None:
        """The resource patterns of the policies' Allow statements (a request allowed by either policy matches
        one), or None when one of those statements allows any resource or names them by `NotResource`."""
        patterns: list[str] = []
        for policy in self.encoder.policies:
            for statement in policy.statements:
                if statement.effect != "Allow":
                    continue
                if statement.resources is None or statement.not_resource:
                    return None
                patterns += statement.resources
        return patterns

    def principal_kinds(self, model: z3.ModelRef) -> list[str]:
        """The kinds of principal to try, the solver's own first (fixing the kind keeps each query a
        conjunction, which z3's string solver answers far faster than a disjunction of shapes)."""
        request = self.encoder.request
        own = ("anonymous" if z3.is_true(model.eval(request.anonymous, model_completion=True))
               else "iam" if z3.is_true(model.eval(request.is_iam, model_completion=True)) else "other")
        return [own] + [k for k in ("anonymous", "iam", "other") if k != own]

    def values(self, kind: str) -> list[z3.BoolRef]:
        """A plausible principal of `kind` (an IAM role or user, a service or a principal the policies name)
        and plausible context values."""
        request = self.encoder.request
        if kind == "anonymous":
            out = [request.anonymous]
        elif kind == "iam":
            # a few concrete names (equalities are cheap for z3's string solver, a regular name is not): the
            # principals the policies name, a role, and a user whose name aws:username gives where it is used
            # (an identity provider only by a provider's name, an identity never by one: `encode_request`)
            names = [z3.And(request.is_provider == bool(_PROVIDER.match(n)), request.name == z3.StringVal(n))
                     for n in ("role/app", *self.named_iam_names)]
            username = request.keys.get("aws:username")
            if username is not None and username.count is None:
                names.append(z3.And(z3.Not(request.is_provider), username.present))
            out = [z3.Not(request.anonymous), request.is_iam, request.partition == z3.StringVal("aws"), z3.Or(names)]
        else:
            named = [request.other == z3.StringVal(p) for p in self.named_principals if ":" not in p]
            out = [z3.Not(request.anonymous), z3.Not(request.is_iam), z3.Or(z3.InRe(request.other, _SERVICE), *named)]
        derived = (request.iam_arn, request.account)  # aws:PrincipalArn and aws:PrincipalAccount: plausible as
        # the principal is, and a regular constraint over the ARN's concatenation costs z3 seconds
        for key in request.keys.values():
            if not any(isinstance(v, z3.ExprRef) and v.eq(term) for v in key.values for term in derived):
                out += [z3.Implies(key.present, c) for c in _plausible(key)]
        return out

    def lighter(self) -> list[list[z3.BoolRef]]:
        """Lighter versions of a try, for when its small slice leaves it undecided: first every context key
        the request could leave out absent (the keys AWS derives from the principal follow the principal);
        then only the keys compared with a policy variable absent (`dynamodb:LeadingKeys` against
        `${aws:userid}`: with a set there z3 decided no try in 0.5 M units, yet a difference on another key,
        `dynamodb:Attributes`, needs that one present)."""
        keys = self.encoder.request.keys
        optional = [key for key in keys.values() if z3.is_const(key.present)]
        compared = {condition.key.lower() for policy in self.encoder.policies for statement in policy.statements
                    for condition in statement.conditions if any("${" in value for value in condition.values)}
        hard = [key for name, key in keys.items() if name in compared and z3.is_const(key.present)]
        out = [[z3.Not(key.present) for key in optional]]
        if hard and len(hard) < len(optional):
            out.append([z3.Not(key.present) for key in hard])
        return out

    def request(self, model: z3.ModelRef) -> Request:
        """The request the model describes (call after a sat check with `constraints`)."""
        request = self.encoder.request
        action = _text(model, request.action)
        context: dict[str, str | tuple[str, ...]] = {}
        for key in request.keys.values():
            if not z3.is_true(model.eval(key.present, model_completion=True)):
                continue
            if key.count is None or key.plain:
                context[key.name] = _format(model, key, key.single)
            else:
                count = model.eval(key.count, model_completion=True).as_long()
                context[key.name] = tuple(_format(model, key, v) for v in key.values[:count])
        return Request(principal=_text(model, request.principal), action=self.actions.get(action, action),
                       resource=_text(model, request.resource), context=context)


def _plausible(key: Key) -> list[z3.BoolRef]:
    out = []
    for value in key.values:
        if isinstance(value, tuple):  # an IP address: every one is plausible
            continue
        if key.sort == "bool":
            out.append(z3.Or(value == z3.StringVal("true"), value == z3.StringVal("false")))
        elif key.sort in ("string", "binary"):
            out.append(z3.InRe(value, _PRINTABLE))
        elif key.sort == "date":
            out.append(z3.And(value >= 0, value <= _LAST_DATE))
        elif key.sort == "number":
            out.append(z3.IsInt(value * 100))
    return out


def _text(model: z3.ModelRef, term: z3.SeqRef) -> str:
    return str(model.eval(term, model_completion=True).as_string())


def _format(model: z3.ModelRef, key: Key, value: object) -> str:
    """A value as AWS writes it in a request: an ISO date, a decimal, an IP address, the string itself."""
    if key.sort == "date":
        seconds = model.eval(value, model_completion=True).as_long()
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if key.sort == "number":
        fraction = model.eval(value, model_completion=True).as_fraction()
        return _decimal(Fraction(fraction))
    if key.sort == "ip":
        assert isinstance(value, tuple)
        is_v6, bits = value
        number = model.eval(bits, model_completion=True).as_long()
        if z3.is_true(model.eval(is_v6, model_completion=True)):
            return str(ipaddress.IPv6Address(number))
        return str(ipaddress.IPv4Address(number & 0xFFFFFFFF))
    return _text(model, value)  # type: ignore[arg-type]


def _decimal(number: Fraction) -> str:
    if number.denominator == 1:
        return str(number.numerator)
    scaled = number * 100
    sign = "-" if scaled < 0 else ""
    whole, cents = divmod(abs(int(scaled)), 100)
    return f"{sign}{whole}.{cents:02d}"

