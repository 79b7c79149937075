using LicenseRisk.Model;
using LicenseRisk.Rules.Syntax;

namespace LicenseRisk.Rules.Binding;

/// <summary>Binds a whole rule: items in order (each sees the aliases bound before it), then templates.</summary>
public sealed class RuleBinder
{
    private readonly SignalCatalog _catalog;
    private readonly DiagnosticBag _diags;
    private readonly List<Slot> _slots = [];
    private readonly HashSet<int> _branchSlots = [];
    private int _branchDepth;
    private bool _failed;

    private RuleBinder(SignalCatalog catalog, DiagnosticBag diags)
    {
        _catalog = catalog;
        _diags = diags;
    }

    public static BoundRule? Bind(RuleSyntax rule, SignalCatalog catalog, DiagnosticBag diags)
    {
        var binder = new RuleBinder(catalog, diags);
        var visible = new List<Slot>();
        var items = binder.BindItems(rule.When, visible);
        var templateScope = new Scope(null, binder._slots)
        {
            SoleAggregate = binder._slots.Count(s => s.Role == SlotRole.Aggregate) == 1
                ? binder._slots.Single(s => s.Role == SlotRole.Aggregate)
                : null,
        };
        var because = rule.Because is null ? BoundTemplate.Empty : binder.BindTemplate(rule.Because, templateScope);
        var derive = rule.Derive is null ? null : binder.BindDerive(rule.Derive, templateScope);
        return binder._failed ? null : new BoundRule(rule, items, binder._slots, because ?? BoundTemplate.Empty, derive);
    }

    private List<BoundItem> BindItems(IReadOnlyList<ItemSyntax> items, List<Slot> visible)
    {
        var result = new List<BoundItem>();
        foreach (var item in items)
        {
            if (BindItem(item, visible) is { } b)
            {
                result.Add(b);
            }
        }

        return result;
    }

    private BoundItem? BindItem(ItemSyntax item, List<Slot> visible)
    {
        if (item.Kind == ItemKind.Any)
        {
            var branches = new List<IReadOnlyList<BoundItem>>();
            _branchDepth++;
            foreach (var branch in item.Branches)
            {
                // Each branch sees what was bound before the any:, plus its own earlier items;
                // nothing bound in a branch is visible after the any:.
                branches.Add(BindItems(branch, [.. visible]));
            }

            _branchDepth--;

            return new BoundItem(ItemKind.Any, null, [], null, null, branches);
        }

        var kind = _catalog.Find(item.KindName!.Text);
        if (kind is null)
        {
            var hint = Suggest.Closest(item.KindName.Text, _catalog.Kinds.Select(k => k.Name));
            Fail(item.KindName.Span.Offset(item.KindName.Quoted ? 1 : 0), DiagnosticCodes.UnknownRuleKind, $"unknown signal kind '{item.KindName.Text}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            return null;
        }

        FieldDef? sumField = null;
        if (item.Kind == ItemKind.Sum)
        {
            sumField = kind.Field(item.SumField!.Text);
            if (sumField is null)
            {
                Fail(item.SumField.Span, DiagnosticCodes.BadSumField, $"{kind.Name} signals have no field '{item.SumField.Text}'");
                return null;
            }

            if (sumField.Type is not (FieldType.Number or FieldType.Int))
            {
                Fail(item.SumField.Span, DiagnosticCodes.BadSumField, $"sum: needs a number field, but {kind.Name}.{sumField.Name} is {sumField.TypeName}");
                return null;
            }
        }

        var role = item.Kind is ItemKind.Count or ItemKind.Sum ? SlotRole.Aggregate : SlotRole.Signal;
        Slot slot;
        var existing = item.Alias is null ? null : _slots.FirstOrDefault(s => s.Alias == item.Alias);
        if (existing is not null)
        {
            // The same alias may be bound once per branch of an any: (same kind and role), so
            // templates can name it whichever branch matched.
            var inSibling = _branchDepth > 0 && _branchSlots.Contains(existing.Index) && !visible.Contains(existing);
            if (!inSibling || existing.Kind != kind || existing.Role != role || existing.SumField != sumField)
            {
                Fail(item.Span, DiagnosticCodes.AliasAlreadyBound, inSibling
                    ? $"alias '{item.Alias}' is bound in another branch to a different kind of item; use one kind per alias"
                    : $"alias '{item.Alias}' is already bound in this rule");
                return null;
            }

            slot = existing;
        }
        else
        {
            var name = item.Alias ?? $"_{_slots.Count}";
            slot = new Slot(_slots.Count, name, item.Alias, kind, role, sumField);
            _slots.Add(slot);
            if (_branchDepth > 0)
            {
                _branchSlots.Add(slot.Index);
            }
        }

        var conditions = new List<Bound>();
        if (item.Where is { } where)
        {
            if (BindExpr(where, new Scope(kind, visible) { SelfAlias = item.Alias }, BoundType.Bool) is { } cond)
            {
                conditions.AddRange(SplitAnd(cond));
            }
        }

        if (item.Kind != ItemKind.No)
        {
            visible.Add(slot);
        }

        return new BoundItem(item.Kind, slot, conditions, item.AtLeast, item.AtMost, []);
    }

    private static IEnumerable<Bound> SplitAnd(Bound b) =>
        b is BBinary { Op: BinaryOp.And } and ? SplitAnd(and.Left).Concat(SplitAnd(and.Right)) : [b];

    private Bound? BindExpr(Located text, Scope scope, BoundType? expected)
    {
        var (expr, error) = Parser.Parse(text.Text);
        if (error is not null)
        {
            Fail(At(text, error.Pos), DiagnosticCodes.ExpressionSyntax, error.Message);
            return null;
        }

        var (bound, errors) = Binder.Bind(expr!, scope, expected);
        foreach (var e in errors)
        {
            Fail(At(text, e.Pos), e.Descriptor, e.Message);
        }

        return bound;
    }

    private BoundTemplate? BindTemplate(Located text, Scope scope)
    {
        var (parts, error) = TemplateParser.Parse(text.Text);
        if (error is not null)
        {
            Fail(At(text, error.Pos), DiagnosticCodes.ExpressionSyntax, error.Message);
            return null;
        }

        var result = new List<BoundPart>();
        foreach (var part in parts)
        {
            if (part is TextPart t)
            {
                result.Add(new BoundPart(t.Text, null, []));
                continue;
            }

            var e = (ExprPart)part;
            var (bound, errors) = Binder.Bind(e.Expr, scope);
            foreach (var err in errors)
            {
                Fail(At(text, err.Pos), err.Descriptor, err.Message);
            }

            if (bound is not null)
            {
                if (bound.Type.Kind == TypeKind.List)
                {
                    Fail(At(text, e.Pos), DiagnosticCodes.TypeMismatch, "a template cannot show a list");
                    continue;
                }

                result.Add(new BoundPart(null, bound, SlotsOf(bound)));
            }
        }

        return new BoundTemplate(result);
    }

    private BoundDerive? BindDerive(DeriveSyntax derive, Scope scope)
    {
        var kind = _catalog.Find(derive.KindName.Text);
        if (kind is null || !kind.Derived)
        {
            Fail(derive.KindName.Span, DiagnosticCodes.BadDeriveKind, kind is null
                ? $"derive: kind '{derive.KindName.Text}' is not declared in signals.yaml"
                : $"derive: kind '{kind.Name}' must be declared with derived: true in signals.yaml");
            return null;
        }

        BoundPart? date = null;
        if (derive.Date is { } d)
        {
            date = BindValue(d, scope, BoundType.Date, "date");
        }

        var fields = new List<(FieldDef, BoundPart)>();
        foreach (var (name, value) in derive.Fields)
        {
            var field = kind.Field(name);
            if (field is null)
            {
                var hint = Suggest.Closest(name, kind.Fields.Select(f => f.Name));
                Fail(value.Span, DiagnosticCodes.UnknownDeriveField, $"derived kind '{kind.Name}' has no field '{name}'{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
                continue;
            }

            if (BindValue(value, scope, BoundType.Of(field, kind.Name), name) is { } part)
            {
                fields.Add((field, part));
            }
        }

        foreach (var missing in kind.Fields.Where(f => f.Required && derive.Fields.All(x => x.Key != f.Name)))
        {
            Fail(derive.Span, DiagnosticCodes.MissingDeriveField, $"derive: required field '{missing.Name}' of '{kind.Name}' is not set");
        }

        return new BoundDerive(kind, date, fields);
    }

    /// <summary>A derive value: "{expr}" alone (typed), a literal of the field's type, or text with {expr} parts.</summary>
    private BoundPart? BindValue(Located value, Scope scope, BoundType expected, string what)
    {
        var text = value.Text.Trim();
        if (text.StartsWith('{') && text.EndsWith('}') && !text.StartsWith("{{", StringComparison.Ordinal)
            && text.IndexOf('{', 1) < 0)
        {
            var inner = value with { Text = text[1..^1], Span = value.Span.Offset(1) };
            var bound = BindExpr(inner, scope, null);
            if (bound is null)
            {
                return null;
            }

            if (bound.Type.Kind != expected.Kind)
            {
                Fail(value.Span, DiagnosticCodes.TypeMismatch, $"derive: '{what}' is {expected}, but the expression is {bound.Type}");
                return null;
            }

            if (expected.EnumValues is { } values && (bound.Type.EnumValues is not { } got || got.Except(values).Any()))
            {
                Fail(value.Span, DiagnosticCodes.UnknownEnumValueInExpression, $"derive: '{what}' takes one of {string.Join(", ", values)}; the expression may give other text");
                return null;
            }

            return new BoundPart(null, bound, SlotsOf(bound));
        }

        switch (expected.Kind)
        {
            case TypeKind.String when expected.EnumValues is { } values:
                if (!values.Contains(text))
                {
                    Fail(value.Span, DiagnosticCodes.UnknownEnumValueInExpression, $"derive: '{text}' is not a value of {expected.EnumOwner}; expected one of: {string.Join(", ", values)}");
                    return null;
                }

                return new BoundPart(null, new BConst(expected, text), []);
            case TypeKind.String:
                var template = BindTemplate(value, scope);
                return template is null ? null : new BoundPart(null, new BTemplate(template), [.. template.Parts.SelectMany(p => p.Slots).Distinct()]);
            case TypeKind.Number when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n):
                return new BoundPart(null, new BConst(BoundType.Number, n), []);
            case TypeKind.Bool when text is "true" or "false":
                return new BoundPart(null, new BConst(BoundType.Bool, text == "true"), []);
            case TypeKind.Date when IsoDate.TryParse(text, out var day, out _):
                return new BoundPart(null, new BConst(BoundType.Date, (double)day.DayNumber), []);
            case TypeKind.Date when !IsoDate.TryParse(text, out _, out var notADay) && notADay is not null:
                Fail(value.Span, DiagnosticCodes.TypeMismatch, $"derive: {notADay}");
                return null;
            default:
                Fail(value.Span, DiagnosticCodes.TypeMismatch, $"derive: '{what}' needs {expected}: a literal or \"{{expression}}\", not '{text}'");
                return null;
        }
    }

    /// <summary>The slots (other than the item's own signal) an expression reads, in order.</summary>
    internal static int[] SlotsOf(Bound b)
    {
        var slots = new SortedSet<int>();
        Visit(b, slots);
        return [.. slots];

        static void Visit(Bound b, SortedSet<int> slots)
        {
            switch (b)
            {
                case BField { Slot: { } s }:
                    slots.Add(s.Index);
                    break;
                case BAggregate a:
                    slots.Add(a.Slot.Index);
                    break;
                case BUnary u:
                    Visit(u.Operand, slots);
                    break;
                case BBinary x:
                    Visit(x.Left, slots);
                    Visit(x.Right, slots);
                    break;
                case BIn i:
                    Visit(i.Value, slots);
                    foreach (var item in i.Items)
                    {
                        Visit(item, slots);
                    }

                    break;
                case BBetween bt:
                    Visit(bt.Value, slots);
                    Visit(bt.Low, slots);
                    Visit(bt.High, slots);
                    break;
                case BCall c:
                    foreach (var a in c.Args)
                    {
                        Visit(a, slots);
                    }

                    break;
            }
        }
    }

    /// <summary>Maps an offset inside a YAML scalar's value to a file position.</summary>
    public static SourceSpan At(Located text, int pos)
    {
        pos = Math.Clamp(pos, 0, text.Text.Length);
        if (text.Raw is { } raw && Align(text.Text, raw, pos, text.Span) is { } exact)
        {
            return exact;
        }

        var before = text.Text[..pos];
        var newlines = before.Count(c => c == '\n');
        if (newlines == 0)
        {
            return text.Span.Offset(pos + (text.Quoted ? 1 : 0));
        }

        var lastNl = before.LastIndexOf('\n');
        return new SourceSpan(text.Span.File, text.Span.Line + newlines, pos - lastNl);
    }

    /// <summary>
    /// Walks the value and the scalar as written side by side: quotes, escape backslashes, block
    /// indicators and indentation exist only in the raw text, and folded line breaks become spaces.
    /// Returns where value[pos] was written, or null if the two cannot be aligned.
    /// </summary>
    private static SourceSpan? Align(string value, string raw, int pos, SourceSpan start)
    {
        int line = start.Line, col = start.Column, j = 0;
        void Advance()
        {
            if (raw[j] == '\n')
            {
                line++;
                col = 1;
            }
            else
            {
                col++;
            }

            j++;
        }

        for (var i = 0; i <= pos; i++)
        {
            if (i == value.Length)
            {
                return start with { Line = line, Column = col };
            }

            var c = value[i];
            while (j < raw.Length && raw[j] != c && !(char.IsWhiteSpace(c) && char.IsWhiteSpace(raw[j])))
            {
                Advance();
            }

            if (j >= raw.Length)
            {
                return null;
            }

            if (i == pos)
            {
                return start with { Line = line, Column = col };
            }

            Advance();
            if (char.IsWhiteSpace(c) && i + 1 < value.Length && !char.IsWhiteSpace(value[i + 1]))
            {
                while (j < raw.Length && char.IsWhiteSpace(raw[j]))
                {
                    Advance();
                }
            }
        }

        return null;
    }

    private void Fail(SourceSpan span, DiagnosticDescriptor descriptor, string message)
    {
        _failed = true;
        _diags.Report(span, descriptor, message);
    }
}

/// <summary>Text with {expr} parts, used as a derived string field's value.</summary>
public sealed record BTemplate(BoundTemplate Template) : Bound(BoundType.String);
