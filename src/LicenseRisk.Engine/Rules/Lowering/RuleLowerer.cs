using System.Linq.Expressions;
using System.Reflection;
using LicenseRisk.Model;
using LicenseRisk.Rules.Runtime;
using LicenseRisk.Rules.Binding;
using LicenseRisk.Scoring;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace LicenseRisk.Rules.Lowering;

/// <summary>
/// Lowers a bound rule to NRules' rule model with RuleBuilder and expression trees:
/// signal: a pattern; no: a not-group over the signal's pattern; count:/sum: a collect aggregate with a threshold on the set;
/// any: an or-group of and-groups. Every condition lambda's parameters are the declarations it reads.
/// </summary>
public sealed class RuleLowerer(Func<LambdaExpression, Delegate> compile, SignalCatalog catalog)
{
    // Reflection looked up once, not per rule or per condition.
    private static readonly MethodInfo OnMatchByName = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.OnMatch), [typeof(IContext), typeof(CompiledRule)])!;
    private static readonly MethodInfo OnMatchOfItems = typeof(RuleRuntime).GetMethod(nameof(RuleRuntime.OnMatch), [typeof(IContext), typeof(CompiledRule), typeof(object?[])])!;
    private static readonly FieldInfo KindField = typeof(SignalFact).GetField(nameof(SignalFact.Kind))!;
    private static readonly MethodInfo SumMethod = typeof(RuleFunctions).GetMethod(nameof(RuleFunctions.Sum))!;
    private static readonly MethodInfo CountMethod = typeof(RuleFunctions).GetMethod(nameof(RuleFunctions.Count))!;

    // Per kind id: whether its lane is shared with another kind of the catalog.
    private readonly bool[] _sharedLane = [.. catalog.Kinds.Select(k => SignalLanes.Shared(k, catalog))];

    public (IRuleDefinition Definition, CompiledRule Rule) Lower(BoundRule bound, int index, ModelSettings model)
    {
        var syntax = bound.Syntax;
        var declarations = new Dictionary<int, Declaration>();
        var builder = new RuleBuilder();
        builder.Name(syntax.Id);
        builder.Description(syntax.Title);
        var lhs = builder.LeftHandSide();
        foreach (var item in bound.Items)
        {
            AddItem(lhs, item, declarations);
        }

        var slots = bound.Slots.Select(s => ToInfo(s, bound.Items)).ToList();
        var rule = new CompiledRule
        {
            Index = index,
            Syntax = syntax,
            Sd = syntax.Sd ?? model.DefaultSd,
            HalfLifeDays = syntax.Decay ? syntax.HalfLifeDays ?? model.HalfLifeDays : null,
            Slots = slots,
            SlotByName = bound.Slots.ToDictionary(s => s.Name, s => s.Index, StringComparer.Ordinal),
            Because = CompileTemplate(bound.Because, bound.Slots),
            Derive = bound.Derive is null ? null : CompileDerive(bound.Derive, bound.Slots),
            Reads = bound.Slots.Select(s => s.Kind).Distinct().ToList(),
        };

        // One action per rule, run on every trigger it needs: it records the firing (or derives)
        // when the match is created or updated, and drops it when the match is removed. One action
        // instead of two halves the actions NRules compiles and invokes per rule.
        var unmatch = syntax.Weight is not null || bound.Derive is not null;
        var ctx = Expression.Parameter(typeof(IContext), "ctx");
        LambdaExpression action;
        if (bound.Items.Any(i => i.Kind == ItemKind.Any))
        {
            // Which declarations an any: branch binds varies per match: read them by name.
            action = Expression.Lambda<Action<IContext>>(
                Expression.Call(OnMatchByName, ctx, Expression.Constant(rule)),
                ctx);
        }
        else
        {
            // The matched facts as the action's parameters, laid out by slot (no: slots stay null).
            // Each parameter typed object (NRules assigns it the matched fact cast to its type, here
            // no cast at all), so that the action is one of LambdaShapes' written-out types.
            var parameters = declarations.OrderBy(d => d.Key).Select(d => (Slot: d.Key, Parameter: Expression.Parameter(typeof(object), d.Value.Name))).ToList();
            var elements = new Expression[slots.Count];
            for (var i = 0; i < elements.Length; i++)
            {
                elements[i] = Expression.Constant(null, typeof(object));
            }

            foreach (var (slot, parameter) in parameters)
            {
                elements[slot] = parameter;
            }

            action = LambdaShapes.OverFacts(
                Expression.Call(OnMatchOfItems, ctx, Expression.Constant(rule), LambdaShapes.ArrayOf(typeof(object), elements)),
                [ctx, .. parameters.Select(p => p.Parameter)]);
        }

        builder.RightHandSide().Action(
            action,
            unmatch ? ActionTrigger.Activated | ActionTrigger.Reactivated | ActionTrigger.Deactivated : ActionTrigger.Activated | ActionTrigger.Reactivated);
        return (builder.Build(), rule);
    }

    private static SlotInfo ToInfo(Slot s, IReadOnlyList<BoundItem> items)
    {
        var item = ItemOf(items, s.Index) ?? throw new InvalidOperationException($"no item binds slot {s.Name}");
        return new SlotInfo(s.Index, s.Name, s.Role, item.Kind, item.AtLeast, s.SumField);
    }

    /// <summary>The first item, in order and through any: branches, that binds the slot.</summary>
    private static BoundItem? ItemOf(IEnumerable<BoundItem> items, int slot)
    {
        foreach (var item in items)
        {
            if (item.Kind == ItemKind.Any)
            {
                foreach (var branch in item.Branches)
                {
                    if (ItemOf(branch, slot) is { } found)
                    {
                        return found;
                    }
                }
            }
            else if (item.Slot?.Index == slot)
            {
                return item;
            }
        }

        return null;
    }

    private void AddItem(GroupBuilder group, BoundItem item, Dictionary<int, Declaration> declarations)
    {
        switch (item.Kind)
        {
            case ItemKind.Any:
                var or = group.Group(GroupType.Or);
                foreach (var branch in item.Branches)
                {
                    var and = or.Group(GroupType.And);
                    var branchDeclarations = new Dictionary<int, Declaration>(declarations);
                    foreach (var b in branch)
                    {
                        AddItem(and, b, branchDeclarations);
                    }
                }

                break;
            case ItemKind.Signal:
                var pattern = group.Pattern(SignalLanes.Of(item.Slot!.Kind), item.Slot.Name);
                AddConditions(pattern, item, declarations);
                declarations[item.Slot.Index] = pattern.Declaration;
                break;
            case ItemKind.No:
                var not = group.Not();
                var inner = not.Pattern(SignalLanes.Of(item.Slot!.Kind), item.Slot.Name);
                AddConditions(inner, item, declarations);
                break;
            default:
                var setPattern = group.Pattern(SignalLanes.SetOf(item.Slot!.Kind), item.Slot.Name);
                var aggregate = setPattern.Aggregate();
                aggregate.Collect();
                var member = aggregate.Pattern(SignalLanes.Of(item.Slot.Kind), item.Slot.Name + "_each");
                AddConditions(member, item, declarations);
                declarations[item.Slot.Index] = setPattern.Declaration;
                AddThreshold(setPattern, item);
                break;
        }
    }

    private void AddConditions(PatternBuilder pattern, BoundItem item, Dictionary<int, Declaration> declarations)
    {
        var parameter = pattern.Declaration.ToParameterExpression();
        Expression self = parameter;

        // The pattern's type is the kind's lane: only a lane shared with another kind (a catalog
        // of more than SignalLanes.Count kinds) needs the kind tested.
        if (item.Slot!.Kind.Id >= _sharedLane.Length || _sharedLane[item.Slot.Kind.Id])
        {
            pattern.Condition(LambdaShapes.OverFacts(
                Expression.Equal(Expression.Field(self, KindField), Expression.Constant(item.Slot.Kind.Id)),
                [parameter]));
        }

        foreach (var condition in item.Conditions)
        {
            if (RuleBinder.SlotsOf(condition).Length == 0)
            {
                // A condition on the pattern's own fact alone: a lambda over it, typed by its lane.
                var own = new ExprLowerer(
                    slot => slot is null ? self : throw new InvalidOperationException($"a condition without joins reads slot {slot.Name}"),
                    ExprLowerer.Member(self, nameof(SignalFact.AsOf)));
                pattern.Condition(LambdaShapes.OverFacts(own.Lower(condition), [parameter]));
                continue;
            }

            // A condition that joins other matched facts: every parameter typed object and cast where
            // it is read, so that the lambda is one of LambdaShapes' few written-out types whatever
            // lanes it joins (NRules reads only its parameters' names and body; see
            // LambdaShapes.OverObjects).
            var selfObject = Expression.Parameter(typeof(object), parameter.Name);
            var body = LowerJoin(condition, Expression.Convert(selfObject, parameter.Type), declarations, out var joined);
            pattern.Condition(LambdaShapes.OverFacts(body, [selfObject, .. joined.OrderBy(p => p.Key).Select(p => p.Value)]));
        }
    }

    /// <summary>
    /// Lowers a pattern's condition over its own fact <paramref name="self"/>; <paramref name="joined"/>
    /// gets a parameter typed object per other slot it reads (read through a cast to the
    /// declaration's type).
    /// </summary>
    private static Expression LowerJoin(Bound condition, Expression self, Dictionary<int, Declaration> declarations, out Dictionary<int, ParameterExpression> joined)
    {
        var parameters = new Dictionary<int, ParameterExpression>();
        var reads = new Dictionary<int, Expression>();
        Expression Resolve(Slot slot)
        {
            if (!reads.TryGetValue(slot.Index, out var read))
            {
                var declaration = declarations[slot.Index];
                var parameter = parameters[slot.Index] = Expression.Parameter(typeof(object), declaration.Name);
                read = reads[slot.Index] = Expression.Convert(parameter, declaration.Type);
            }

            return read;
        }

        var lowerer = new ExprLowerer(slot => slot is null ? self : Resolve(slot), ExprLowerer.Member(self, nameof(SignalFact.AsOf)));
        var body = lowerer.Lower(condition);
        joined = parameters;
        return body;
    }

    private static void AddThreshold(PatternBuilder setPattern, BoundItem item)
    {
        // The set's parameter typed object and cast where read: one written-out lambda type for
        // every lane's threshold (LambdaShapes.OverObjects).
        var setObject = Expression.Parameter(typeof(object), setPattern.Declaration.Name);
        var set = Expression.Convert(setObject, setPattern.Declaration.Type);
        var slot = item.Slot!;
        Expression measure = slot.SumField is { } f
            ? Expression.Call(SumMethod, set, Expression.Constant(f.Slot), Expression.Constant(1UL << f.Index))
            : Expression.Call(CountMethod, set);
        if (item.AtLeast is { } atLeast)
        {
            setPattern.Condition(LambdaShapes.OverFacts(Expression.GreaterThanOrEqual(measure, Expression.Constant(atLeast)), [setObject]));
        }

        if (item.AtMost is { } atMost)
        {
            setPattern.Condition(LambdaShapes.OverFacts(Expression.LessThanOrEqual(measure, Expression.Constant(atMost)), [setObject]));
        }
    }

    private static readonly ParameterExpression Items = Expression.Parameter(typeof(object?[]), "items");
    private static readonly ParameterExpression AsOf = Expression.Parameter(typeof(double), "asOf");

    private static ExprLowerer TemplateLowerer(IReadOnlyList<Slot> slots) => new(
        slot => slot is null
            ? throw new InvalidOperationException("templates have no own signal")
            : Expression.Convert(
                Expression.ArrayIndex(Items, Expression.Constant(slot.Index)),
                slot.Role == SlotRole.Aggregate ? typeof(IEnumerable<SignalFact>) : typeof(SignalFact)),
        AsOf);

    /// <summary>
    /// Templates and derive values are lowered to expression trees and compiled on their first use,
    /// not at load: most rules never fire for a given vendor, and a CLI run on one dossier should
    /// not pay for lowering and compiling every explanation. Binding has already checked them (every
    /// error a pack author can make is reported at load); lowering a bound template cannot fail but
    /// for a bug, which <c>rules test</c> (it fires every rule) and the test suite would show.
    /// </summary>
    private Func<object?[], double, T> Deferred<T>(Func<Expression> body) => new OnFirstUse<T>(body, compile).Invoke;

    /// <summary>
    /// A function lowered and compiled on its first call. Two threads calling it first at once may
    /// both build it; either result is the same function, so no lock is taken.
    /// </summary>
    private sealed class OnFirstUse<T>(Func<Expression> body, Func<LambdaExpression, Delegate> compile)
    {
        private Func<object?[], double, T>? _fn;

        public T Invoke(object?[] items, double asOf) => (_fn ??= Build())(items, asOf);

        private Func<object?[], double, T> Build() =>
            (Func<object?[], double, T>)compile(Expression.Lambda<Func<object?[], double, T>>(body(), Items, AsOf));
    }

    private List<TemplateFn> CompileTemplate(BoundTemplate template, IReadOnlyList<Slot> slots)
    {
        var lowerer = TemplateLowerer(slots);
        return [.. template.Parts.Select(p => p.Expr is null
            ? new TemplateFn(p.Text, null, [])
            : new TemplateFn(null, Deferred<string>(() => lowerer.Format(p.Expr)), p.Slots))];
    }

    private DeriveFn CompileDerive(BoundDerive derive, IReadOnlyList<Slot> slots)
    {
        var lowerer = TemplateLowerer(slots);
        Func<object?[], double, object?> Value(BoundPart part)
        {
            var fn = Deferred<object?>(() => Expression.Convert(lowerer.Lower(part.Expr!), typeof(object)));
            var needed = part.Slots;
            return needed.Count == 0 ? fn : (items, asOf) => needed.Any(i => items[i] is null) ? null : fn(items, asOf);
        }

        return new DeriveFn(
            derive.Kind,
            derive.Date is null ? null : Value(derive.Date),
            [.. derive.Fields.Select(f => (f.Field, Value(f.Value)))]);
    }
}
