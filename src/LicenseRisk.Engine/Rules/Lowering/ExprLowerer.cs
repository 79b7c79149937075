using System.Linq.Expressions;
using System.Reflection;
using LicenseRisk.Rules.Runtime;
using LicenseRisk.Rules.Binding;
using LicenseRisk.Rules.Syntax;
using LicenseRisk.Scoring;

namespace LicenseRisk.Rules.Lowering;

/// <summary>
/// Lowers bound expressions to System.Linq.Expressions over <see cref="SignalFact"/>. A slot
/// resolver supplies the expression for each alias (a pattern parameter, or an element of a
/// template's match array). A comparison involving a missing optional field is false.
/// </summary>
public sealed class ExprLowerer(Func<Slot?, Expression> resolve, Expression asOf)
{
    private static readonly FieldInfo NumField = typeof(SignalFact).GetField(nameof(SignalFact.Num))!;
    private static readonly FieldInfo StrField = typeof(SignalFact).GetField(nameof(SignalFact.Str))!;
    private static readonly FieldInfo FlagField = typeof(SignalFact).GetField(nameof(SignalFact.Flag))!;
    private static readonly FieldInfo PresentField = typeof(SignalFact).GetField(nameof(SignalFact.Present))!;

    private static readonly Dictionary<string, FieldInfo> Fields = typeof(SignalFact).GetFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
    private static readonly Dictionary<string, MethodInfo> Methods = typeof(RuleFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).ToDictionary(m => m.Name, StringComparer.Ordinal);

    // The reflection lookups are made once (they were a measurable part of lowering 1,000 rules).
    public static Expression Member(Expression fact, string name) => Expression.Field(fact, Fields[name]);

    private static MethodInfo Method(string name) => Methods[name];

    public Expression Lower(Bound b) => b switch
    {
        BConst c => Expression.Constant(c.Value is double d ? d : c.Value, c.Type.Kind switch
        {
            TypeKind.Number or TypeKind.Date => typeof(double),
            TypeKind.Bool => typeof(bool),
            _ => typeof(string),
        }),
        BAsOf => asOf,
        BField f => Guard(f, LowerField(f)),
        BAggregate a => LowerAggregate(a),
        BUnary u => u.Op == UnaryOp.Not ? Expression.Not(Lower(u.Operand)) : Expression.Negate(Lower(u.Operand)),
        BBinary bin => LowerBinary(bin),
        BIn i => Guarded(i, LowerIn(i)),
        BBetween bt => Guarded(bt, Expression.AndAlso(
            Expression.GreaterThanOrEqual(Lower(bt.Value), Lower(bt.Low)),
            Expression.LessThanOrEqual(Lower(bt.Value), Lower(bt.High)))),
        BCall c => LowerCall(c),
        BTemplate t => Expression.Call(
            Method(nameof(RuleFunctions.Concat)),
            LambdaShapes.ArrayOf(typeof(string), t.Template.Parts.Select(p => p.Expr is null ? Expression.Constant(p.Text) : Format(p.Expr)))),
        _ => throw new InvalidOperationException($"unhandled bound node {b.GetType().Name}"),
    };

    /// <summary>Lowers an expression and renders its value as text for templates.</summary>
    public Expression Format(Bound b)
    {
        var value = Lower(b);
        Expression text = b.Type.Kind switch
        {
            TypeKind.Number => Expression.Call(Method(nameof(RuleFunctions.FormatNumber)), value),
            TypeKind.Date => Expression.Call(Method(nameof(RuleFunctions.FormatDate)), value),
            TypeKind.Bool => Expression.Call(Method(nameof(RuleFunctions.FormatBool)), value),
            _ => Expression.Call(Method(nameof(RuleFunctions.FormatText)), value),
        };

        // A missing optional field shows as '?', never as a default value.
        return b is BField { Optional: true, Field: not null } f
            ? Expression.Condition(Presence(f), text, Expression.Constant("?"))
            : text;
    }

    /// <summary>A bare bool field used as a condition is false when missing.</summary>
    private Expression Guard(BField f, Expression value) =>
        f.Type.Kind == TypeKind.Bool && f.Optional ? Expression.AndAlso(Presence(f), value) : value;

    private Expression LowerField(BField f)
    {
        var fact = resolve(f.Slot);
        if (f.Field is { } field)
        {
            return f.Type.Kind switch
            {
                TypeKind.Number or TypeKind.Date => Expression.ArrayIndex(Expression.Field(fact, NumField), Expression.Constant(field.Slot)),
                TypeKind.Bool => Expression.ArrayIndex(Expression.Field(fact, FlagField), Expression.Constant(field.Slot)),
                _ => Expression.ArrayIndex(Expression.Field(fact, StrField), Expression.Constant(field.Slot)),
            };
        }

        return f.Common switch
        {
            CommonField.Date => Member(fact, nameof(SignalFact.Day)),
            CommonField.Confidence => Member(fact, nameof(SignalFact.Confidence)),
            CommonField.Age => Member(fact, nameof(SignalFact.Age)),
            CommonField.Source => Member(fact, nameof(SignalFact.Source)),
            CommonField.Note => Member(fact, nameof(SignalFact.Note)),
            CommonField.Id => Member(fact, nameof(SignalFact.Id)),
            _ => throw new InvalidOperationException($"unhandled common field {f.Common}"),
        };
    }

    private Expression Presence(BField f)
    {
        var fact = resolve(f.Slot);
        if (f.Field is { } field)
        {
            var bit = Expression.Constant(1UL << field.Index);
            return Expression.NotEqual(Expression.And(Expression.Field(fact, PresentField), bit), Expression.Constant(0UL));
        }

        return Expression.NotEqual(LowerField(f), Expression.Constant(null, typeof(string)));
    }

    private Expression LowerAggregate(BAggregate a)
    {
        var set = resolve(a.Slot);
        return a.Prop switch
        {
            AggregateProp.Count => Expression.Call(Method(nameof(RuleFunctions.Count)), set),
            AggregateProp.Sum => Expression.Call(
                Method(nameof(RuleFunctions.Sum)), set, Expression.Constant(a.Slot.SumField!.Slot), Expression.Constant(1UL << a.Slot.SumField.Index)),
            AggregateProp.Newest => Expression.Call(Method(nameof(RuleFunctions.Newest)), set),
            _ => Expression.Call(Method(nameof(RuleFunctions.Oldest)), set),
        };
    }

    private Expression LowerBinary(BBinary b)
    {
        switch (b.Op)
        {
            case BinaryOp.And:
                return Expression.AndAlso(Lower(b.Left), Lower(b.Right));
            case BinaryOp.Or:
                return Expression.OrElse(Lower(b.Left), Lower(b.Right));
            case BinaryOp.Add:
                return Expression.Add(Lower(b.Left), Lower(b.Right));
            case BinaryOp.Sub:
                return Expression.Subtract(Lower(b.Left), Lower(b.Right));
            case BinaryOp.Mul:
                return Expression.Multiply(Lower(b.Left), Lower(b.Right));
            case BinaryOp.Div:
                return Expression.Divide(Lower(b.Left), Lower(b.Right));
        }

        var left = Lower(b.Left);
        var right = Lower(b.Right);
        Expression cmp = b.Op switch
        {
            BinaryOp.Eq when left.Type == typeof(string) => Expression.Call(Method(nameof(RuleFunctions.Eq)), left, right),
            BinaryOp.Ne when left.Type == typeof(string) => Expression.Not(Expression.Call(Method(nameof(RuleFunctions.Eq)), left, right)),
            BinaryOp.Eq => Expression.Equal(left, right),
            BinaryOp.Ne => Expression.NotEqual(left, right),
            BinaryOp.Lt => Expression.LessThan(left, right),
            BinaryOp.Le => Expression.LessThanOrEqual(left, right),
            BinaryOp.Gt => Expression.GreaterThan(left, right),
            _ => Expression.GreaterThanOrEqual(left, right),
        };
        return Guarded(b, cmp);
    }

    private Expression LowerIn(BIn i)
    {
        // The tested value is re-read per item (a field read) rather than held in a block
        // variable: block expressions defeat NRules' node sharing.
        Expression? any = null;
        foreach (var item in i.Items)
        {
            var value = Lower(i.Value);
            var itemExpr = Lower(item);
            var eq = value.Type == typeof(string)
                ? (Expression)Expression.Call(Method(nameof(RuleFunctions.Eq)), value, itemExpr)
                : Expression.Equal(value, itemExpr);
            any = any is null ? eq : Expression.OrElse(any, eq);
        }

        any ??= Expression.Constant(false);
        return i.Negated ? Expression.Not(any) : any;
    }

    private Expression LowerCall(BCall c)
    {
        switch (c.Function)
        {
            case Function.Has:
                return Presence((BField)c.Args[0]);
            case Function.Days:
                return Guarded(c, Expression.Subtract(Lower(c.Args[1]), Lower(c.Args[0])), force: false);
            case Function.Lower:
                return Expression.Call(Method(nameof(RuleFunctions.Lower)), Lower(c.Args[0]));
            case Function.Contains:
                return Expression.Call(Method(nameof(RuleFunctions.Contains)), Lower(c.Args[0]), Lower(c.Args[1]));
            case Function.StartsWith:
                return Expression.Call(Method(nameof(RuleFunctions.StartsWith)), Lower(c.Args[0]), Lower(c.Args[1]));
            default:
                throw new InvalidOperationException($"unhandled function {c.Function}");
        }
    }

    /// <summary>Ands the presence of every optional field the predicate reads (not through nested predicates).</summary>
    private Expression Guarded(Bound predicate, Expression test, bool force = true)
    {
        if (!force || predicate.Type.Kind != TypeKind.Bool)
        {
            return test;
        }

        var fields = new List<BField>();
        foreach (var child in Operands(predicate))
        {
            CollectOptional(child, fields);
        }

        Expression? guard = null;
        foreach (var f in fields.Distinct())
        {
            var p = Presence(f);
            guard = guard is null ? p : Expression.AndAlso(guard, p);
        }

        return guard is null ? test : Expression.AndAlso(guard, test);
    }

    private static IEnumerable<Bound> Operands(Bound b) => b switch
    {
        BBinary x => [x.Left, x.Right],
        BIn x => [x.Value, .. x.Items],
        BBetween x => [x.Value, x.Low, x.High],
        _ => [],
    };

    private static void CollectOptional(Bound b, List<BField> into)
    {
        switch (b)
        {
            case BField { Optional: true } f when f.Type.Kind != TypeKind.String:
                into.Add(f);
                break;
            case BField { Optional: true } f:
                into.Add(f);
                break;
            case BUnary { Op: UnaryOp.Negate } u:
                CollectOptional(u.Operand, into);
                break;
            case BBinary { Op: BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div } x:
                CollectOptional(x.Left, into);
                CollectOptional(x.Right, into);
                break;
            case BCall { Function: Function.Days or Function.Lower } c:
                foreach (var a in c.Args)
                {
                    CollectOptional(a, into);
                }

                break;
        }
    }
}
