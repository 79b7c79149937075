using System.Globalization;
using LicenseRisk.Rules.Syntax;
using LicenseRisk.Model;

namespace LicenseRisk.Rules.Binding;

/// <summary>An error found while binding, at an offset of the expression text.</summary>
public sealed record BindError(int Pos, DiagnosticDescriptor Descriptor, string Message);

/// <summary>
/// Resolves names against declared kinds and aliases and checks types. The only members an
/// expression can reach are declared fields, the common fields and the listed functions.
/// </summary>
public sealed class Binder
{
    private static readonly Dictionary<string, CommonField> Commons = new(StringComparer.Ordinal)
    {
        ["date"] = CommonField.Date,
        ["confidence"] = CommonField.Confidence,
        ["source"] = CommonField.Source,
        ["note"] = CommonField.Note,
        ["id"] = CommonField.Id,
        ["age"] = CommonField.Age,
    };

    private static readonly Dictionary<string, (Function Fn, int Arity, string Signature)> Functions = new(StringComparer.Ordinal)
    {
        ["days"] = (Function.Days, 2, "days(date, date)"),
        ["lower"] = (Function.Lower, 1, "lower(text)"),
        ["contains"] = (Function.Contains, 2, "contains(text, part)"),
        ["starts_with"] = (Function.StartsWith, 2, "starts_with(text, part)"),
        ["has"] = (Function.Has, 1, "has(field)"),
        ["date"] = (Function.Date, 1, "date('YYYY-MM-DD')"),
    };

    private readonly Scope _scope;
    private readonly List<BindError> _errors = [];

    private Binder(Scope scope) => _scope = scope;

    public static (Bound? Bound, IReadOnlyList<BindError> Errors) Bind(Expr expr, Scope scope, BoundType? expected = null)
    {
        var binder = new Binder(scope);
        var bound = binder.BindExpr(expr);
        if (bound is not null && expected is not null && !Compatible(bound.Type, expected))
        {
            binder.Report(expr.Pos, DiagnosticCodes.TypeMismatch, expected.Kind == TypeKind.Bool
                ? $"a condition must be true or false, but this is {bound.Type}"
                : $"expected {expected}, but this is {bound.Type}");
        }

        return binder._errors.Count > 0 ? (null, binder._errors) : (bound, binder._errors);
    }

    private static bool Compatible(BoundType actual, BoundType expected) =>
        actual.Kind == expected.Kind;

    private void Report(int pos, DiagnosticDescriptor descriptor, string message) => _errors.Add(new BindError(pos, descriptor, message));

    private Bound? BindExpr(Expr expr) => expr switch
    {
        LiteralExpr l => l.Kind switch
        {
            LiteralKind.Number => new BConst(BoundType.Number, l.Value),
            LiteralKind.String => new BConst(BoundType.String, l.Value),
            _ => new BConst(BoundType.Bool, l.Value),
        },
        ListExpr l => BindList(l),
        NameExpr n => BindName(n),
        MemberExpr m => BindMember(m),
        UnaryExpr u => BindUnary(u),
        BinaryExpr b => BindBinary(b),
        InExpr i => BindIn(i),
        BetweenExpr b => BindBetween(b),
        CallExpr c => BindCall(c),
        _ => throw new InvalidOperationException($"unhandled syntax {expr.GetType().Name}"),
    };

    private Bound? BindList(ListExpr l)
    {
        var items = new List<Bound>();
        foreach (var item in l.Items)
        {
            if (BindExpr(item) is { } b)
            {
                items.Add(b);
            }
        }

        if (items.Count != l.Items.Count)
        {
            return null;
        }

        var element = items.Count > 0 ? items[0].Type : BoundType.String;
        for (var i = 1; i < items.Count; i++)
        {
            if (items[i].Type.Kind != element.Kind)
            {
                Report(l.Items[i].Pos, DiagnosticCodes.TypeMismatch, $"list items must all be {element}, but this is {items[i].Type}");
                return null;
            }
        }

        return new BList(new BoundType(TypeKind.List, Element: element), items);
    }

    private Bound? BindName(NameExpr n)
    {
        if (n.Name == "as_of")
        {
            return new BAsOf();
        }

        var self = _scope.Self;
        if (self is not null)
        {
            if (self.Field(n.Name) is { } f)
            {
                return new BField(BoundType.Of(f, self.Name), null, f, CommonField.None);
            }

            if (Commons.TryGetValue(n.Name, out var common))
            {
                return new BField(CommonType(common), null, null, common);
            }
        }
        else if (n.Name is "count" or "sum" && _scope.SoleAggregate is { } agg)
        {
            return BindAggregateProp(agg, n.Name, n.Pos);
        }

        if (_scope.Alias(n.Name) is { } alias)
        {
            if (alias.Role == SlotRole.Aggregate)
            {
                // The first contract: a count item's `as` binds the count, a sum item's the sum.
                return BindAggregateProp(alias, alias.SumField is null ? "count" : "sum", n.Pos);
            }

            Report(n.Pos, DiagnosticCodes.TypeMismatch, $"'{n.Name}' is a whole {alias.Kind.Name} signal; name one of its fields, e.g. {n.Name}.{FirstField(alias)}");
            return null;
        }

        var candidates = new List<string> { "as_of" };
        if (self is not null)
        {
            candidates.AddRange(self.Fields.Select(f => f.Name));
            candidates.AddRange(Commons.Keys);
        }

        candidates.AddRange(_scope.Aliases.Select(a => a.Alias!));
        var hint = Suggest.Closest(n.Name, candidates);
        var where = self is null ? "here (use alias.field)" : $"for {self.Name} signals";
        Report(n.Pos, DiagnosticCodes.UnknownName, $"unknown name '{n.Name}' {where}{(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
        return null;
    }

    private static string FirstField(Slot alias) => alias.Kind.Fields.Count > 0 ? alias.Kind.Fields[0].Name : "date";

    private Bound? BindMember(MemberExpr m)
    {
        if (_scope.Self is not null && m.Target.Name == _scope.SelfAlias)
        {
            return BindName(new NameExpr(m.MemberPos, m.Member));
        }

        var alias = _scope.Alias(m.Target.Name);
        if (alias is null)
        {
            var hint = Suggest.Closest(m.Target.Name, _scope.Aliases.Select(a => a.Alias!));
            var known = _scope.Aliases.Count == 0 ? "no aliases are bound here" : $"bound here: {string.Join(", ", _scope.Aliases.Select(a => a.Alias).Order(StringComparer.Ordinal))}";
            Report(m.Target.Pos, DiagnosticCodes.UnknownAlias, $"unknown alias '{m.Target.Name}' ({known}){(hint is null ? string.Empty : $"; did you mean '{hint}'?")}");
            return null;
        }

        if (alias.Role == SlotRole.Aggregate)
        {
            return BindAggregateProp(alias, m.Member, m.MemberPos);
        }

        if (alias.Kind.Field(m.Member) is { } f)
        {
            return new BField(BoundType.Of(f, alias.Kind.Name), alias, f, CommonField.None);
        }

        if (Commons.TryGetValue(m.Member, out var common))
        {
            return new BField(CommonType(common), alias, null, common);
        }

        var hint2 = Suggest.Closest(m.Member, alias.Kind.Fields.Select(f => f.Name).Concat(Commons.Keys));
        Report(m.MemberPos, DiagnosticCodes.UnknownMember, $"{alias.Kind.Name} signals have no field '{m.Member}'{(hint2 is null ? string.Empty : $"; did you mean '{hint2}'?")}");
        return null;
    }

    private Bound? BindAggregateProp(Slot alias, string member, int pos)
    {
        switch (member)
        {
            case "count":
                return new BAggregate(BoundType.Number, alias, AggregateProp.Count);
            case "sum" when alias.SumField is not null:
                return new BAggregate(BoundType.Number, alias, AggregateProp.Sum);
            case "newest":
                return new BAggregate(BoundType.Date, alias, AggregateProp.Newest);
            case "oldest":
                return new BAggregate(BoundType.Date, alias, AggregateProp.Oldest);
            default:
                var props = alias.SumField is null ? "count, newest, oldest" : "count, sum, newest, oldest";
                Report(pos, DiagnosticCodes.UnknownMember, $"'{alias.Alias}' is a set of {alias.Kind.Name} signals; it has {props}, not '{member}'");
                return null;
        }
    }

    private static BoundType CommonType(CommonField c) => c switch
    {
        CommonField.Date => BoundType.Date,
        CommonField.Confidence or CommonField.Age => BoundType.Number,
        _ => BoundType.String,
    };

    private Bound? BindUnary(UnaryExpr u)
    {
        var operand = BindExpr(u.Operand);
        if (operand is null)
        {
            return null;
        }

        var want = u.Op == UnaryOp.Not ? TypeKind.Bool : TypeKind.Number;
        if (operand.Type.Kind != want)
        {
            Report(u.Pos, DiagnosticCodes.TypeMismatch, u.Op == UnaryOp.Not ? $"'not' needs true or false, not {operand.Type}" : $"'-' needs a number, not {operand.Type}");
            return null;
        }

        return new BUnary(operand.Type, u.Op, operand);
    }

    private Bound? BindBinary(BinaryExpr b)
    {
        var left = BindExpr(b.Left);
        var right = BindExpr(b.Right);
        if (left is null || right is null)
        {
            return null;
        }

        switch (b.Op)
        {
            case BinaryOp.And or BinaryOp.Or:
                if (left.Type.Kind != TypeKind.Bool || right.Type.Kind != TypeKind.Bool)
                {
                    var bad = left.Type.Kind != TypeKind.Bool ? b.Left : b.Right;
                    var badType = left.Type.Kind != TypeKind.Bool ? left.Type : right.Type;
                    Report(bad.Pos, DiagnosticCodes.TypeMismatch, $"'{(b.Op == BinaryOp.And ? "and" : "or")}' needs true or false on both sides, but this is {badType}");
                    return null;
                }

                return new BBinary(BoundType.Bool, b.Op, left, right);
            case BinaryOp.Eq or BinaryOp.Ne:
                if (!CheckComparable(b.Pos, left, right, b.Left, b.Right))
                {
                    return null;
                }

                return new BBinary(BoundType.Bool, b.Op, left, right);
            case BinaryOp.Lt or BinaryOp.Le or BinaryOp.Gt or BinaryOp.Ge:
                if (!CheckComparable(b.Pos, left, right, b.Left, b.Right))
                {
                    return null;
                }

                if (left.Type.Kind is not (TypeKind.Number or TypeKind.Date))
                {
                    Report(b.Pos, DiagnosticCodes.TypeMismatch, $"'<', '<=', '>', '>=' compare numbers or dates, not {left.Type}");
                    return null;
                }

                return new BBinary(BoundType.Bool, b.Op, left, right);
            default:
                return BindArithmetic(b, left, right);
        }
    }

    private Bound? BindArithmetic(BinaryExpr b, Bound left, Bound right)
    {
        var l = left.Type.Kind;
        var r = right.Type.Kind;
        if (l == TypeKind.Number && r == TypeKind.Number)
        {
            return new BBinary(BoundType.Number, b.Op, left, right);
        }

        if (l == TypeKind.Date && r == TypeKind.Number && b.Op is BinaryOp.Add or BinaryOp.Sub)
        {
            return new BBinary(BoundType.Date, b.Op, left, right);
        }

        if (l == TypeKind.Date && r == TypeKind.Date && b.Op == BinaryOp.Sub)
        {
            Report(b.Pos, DiagnosticCodes.TypeMismatch, "dates cannot be subtracted; use days(earlier, later)");
            return null;
        }

        Report(b.Pos, DiagnosticCodes.TypeMismatch, $"cannot apply '{OpText(b.Op)}' to {left.Type} and {right.Type}");
        return null;
    }

    private static string OpText(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        _ => "/",
    };

    private bool CheckComparable(int pos, Bound left, Bound right, Expr leftSyntax, Expr rightSyntax)
    {
        if (left.Type.Kind != right.Type.Kind)
        {
            Report(pos, DiagnosticCodes.TypeMismatch, $"cannot compare {left.Type} with {right.Type}");
            return false;
        }

        return CheckEnumLiteral(left, right, rightSyntax) & CheckEnumLiteral(right, left, leftSyntax);
    }

    /// <summary>A text literal compared with an enum field must be one of the enum's declared values.</summary>
    private bool CheckEnumLiteral(Bound enumSide, Bound other, Expr otherSyntax)
    {
        if (enumSide.Type.EnumValues is { } values && other is BConst { Value: string s } && !values.Contains(s))
        {
            var hint = Suggest.Closest(s, values);
            Report(otherSyntax.Pos, DiagnosticCodes.UnknownEnumValueInExpression, $"'{s}' is not a value of {enumSide.Type.EnumOwner}; expected one of: {string.Join(", ", values)}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
            return false;
        }

        return true;
    }

    private Bound? BindIn(InExpr i)
    {
        var value = BindExpr(i.Value);
        if (value is null)
        {
            return null;
        }

        var items = new List<Bound>();
        var ok = true;
        foreach (var itemSyntax in i.List.Items)
        {
            var item = BindExpr(itemSyntax);
            if (item is null)
            {
                ok = false;
                continue;
            }

            if (item.Type.Kind != value.Type.Kind)
            {
                Report(itemSyntax.Pos, DiagnosticCodes.TypeMismatch, $"list item is {item.Type}, but the value tested is {value.Type}");
                ok = false;
                continue;
            }

            ok &= CheckEnumLiteral(value, item, itemSyntax);
            items.Add(item);
        }

        if (value.Type.Kind == TypeKind.List)
        {
            Report(i.Pos, DiagnosticCodes.TypeMismatch, "'in' tests one value against a list, not a list");
            return null;
        }

        return ok ? new BIn(value, items, i.Negated) : null;
    }

    private Bound? BindBetween(BetweenExpr b)
    {
        var value = BindExpr(b.Value);
        var low = BindExpr(b.Low);
        var high = BindExpr(b.High);
        if (value is null || low is null || high is null)
        {
            return null;
        }

        if (value.Type.Kind is not (TypeKind.Number or TypeKind.Date) || low.Type.Kind != value.Type.Kind || high.Type.Kind != value.Type.Kind)
        {
            Report(b.Pos, DiagnosticCodes.TypeMismatch, $"'between' needs numbers or dates of one type, not {value.Type} between {low.Type} and {high.Type}");
            return null;
        }

        return new BBetween(value, low, high);
    }

    private Bound? BindCall(CallExpr c)
    {
        if (!Functions.TryGetValue(c.Name, out var fn))
        {
            var hint = Suggest.Closest(c.Name, Functions.Keys);
            Report(c.Pos, DiagnosticCodes.UnknownFunction, $"unknown function '{c.Name}'; the functions are {string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal))}{(hint is null ? string.Empty : $" (did you mean '{hint}'?)")}");
            return null;
        }

        if (c.Args.Count != fn.Arity)
        {
            Report(c.Pos, DiagnosticCodes.WrongArgumentCount, $"{fn.Signature} takes {Plural.Of(fn.Arity, "argument")}, not {c.Args.Count}");
            return null;
        }

        if (fn.Fn == Function.Date)
        {
            string? notADay = null;
            if (c.Args[0] is LiteralExpr { Kind: LiteralKind.String, Value: string text }
                && IsoDate.TryParse(text, out var d, out notADay))
            {
                return new BConst(BoundType.Date, (double)d.DayNumber);
            }

            Report(c.Args[0].Pos, DiagnosticCodes.TypeMismatch, notADay ?? "date(...) takes a literal 'YYYY-MM-DD'");
            return null;
        }

        var args = new List<Bound>();
        foreach (var a in c.Args)
        {
            if (BindExpr(a) is { } b)
            {
                args.Add(b);
            }
        }

        if (args.Count != c.Args.Count)
        {
            return null;
        }

        switch (fn.Fn)
        {
            case Function.Has:
                if (args[0] is not BField f || (f.Field is null && !f.Optional))
                {
                    Report(c.Args[0].Pos, DiagnosticCodes.TypeMismatch, "has(...) takes a field name, e.g. has(to_org) or has(dep.to_org)");
                    return null;
                }

                return new BCall(BoundType.Bool, fn.Fn, args);
            case Function.Days:
                return Expect(c, args, TypeKind.Date) ? new BCall(BoundType.Number, fn.Fn, args) : null;
            case Function.Lower:
                return Expect(c, args, TypeKind.String) ? new BCall(BoundType.String, fn.Fn, args) : null;
            default:
                return Expect(c, args, TypeKind.String) ? new BCall(BoundType.Bool, fn.Fn, args) : null;
        }
    }

    private bool Expect(CallExpr c, List<Bound> args, TypeKind kind)
    {
        var ok = true;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Type.Kind != kind)
            {
                Report(c.Args[i].Pos, DiagnosticCodes.TypeMismatch, $"{Functions[c.Name].Signature}: argument {i + 1} must be {kind.ToString().ToLowerInvariant()}, not {args[i].Type}");
                ok = false;
            }
        }

        return ok;
    }
}
