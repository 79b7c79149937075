using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using LicenseRisk.Scoring;
using NRules.RuleModel;

namespace LicenseRisk.Rules.Lowering;

/// <summary>
/// The two expression-tree factories whose shape is only known at run time: a lambda over a
/// variable number of matched facts, and an array of strings or objects. Both are safe under Native
/// AOT for the types we pass, which these methods check; every fixed-shape lambda is built with
/// <see cref="Expression.Lambda{TDelegate}(Expression, ParameterExpression[])"/> instead, and so
/// are the most common run-time shapes, a lambda over one fact or fact set (<see cref="OverFacts"/>).
/// </summary>
internal static class LambdaShapes
{
    /// <summary>
    /// A lambda whose parameters are all reference types (facts, fact sets, the NRules context) and
    /// whose result is <see langword="bool"/> or <see langword="void"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="Expression.Lambda(Expression, ParameterExpression[])"/> picks a
    /// <c>Func&lt;...&gt;</c> or <c>Action&lt;...&gt;</c> type with <see cref="Type.MakeGenericType"/>,
    /// hence its RequiresDynamicCode. Over reference-type arguments Native AOT builds such a type
    /// from the shared canonical instantiation (Func&lt;__Canon, ..., bool&gt;), which needs no new
    /// code; the delegate is then run by the expression interpreter (see
    /// <see cref="PackCompiler"/>), never compiled to IL. The CLI test suite and every rule test
    /// run against the AOT binary in CI (.ci/run) and check this.
    /// </remarks>
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode",
        Justification = "Func/Action over reference types and bool come from canonical instantiations; checked below and by the CLI tests run against the AOT binary.")]
    public static LambdaExpression OverFacts(Expression body, IReadOnlyList<ParameterExpression> parameters)
    {
        if (body.Type != typeof(bool) && body.Type != typeof(void))
        {
            throw new InvalidOperationException($"a lowered lambda returns {body.Type.Name}, not bool or void");
        }

        foreach (var p in parameters)
        {
            if (p.Type.IsValueType || p.IsByRef)
            {
                throw new InvalidOperationException($"a lowered lambda's parameter {p.Name} is a {p.Type.Name}, not a reference type");
            }
        }

        // The common shapes (a condition on one fact or fact set; an action over one) by their
        // written-out delegate types: the same lambda, without making the delegate type and the
        // Expression<TDelegate> type at run time (under Native AOT the type loader builds each one,
        // about a tenth of a one-dossier score's CPU before this).
        var fixedShape = parameters switch
        {
            [var fact] when body.Type == typeof(bool) && Fixed(fact.Type) is { } shapes => shapes.Condition(body, fact),
            [var ctx, var fact] when body.Type == typeof(void) && ctx.Type == typeof(IContext) && Fixed(fact.Type) is { } shapes => shapes.Action(body, ctx, fact),
            _ => null,
        };
        if (fixedShape is not null)
        {
            return fixedShape;
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return Expression.Lambda(body, parameters);
        }

        // The same delegate type Expression.Lambda picks (both go through the same cached
        // Func/Action maker), and the same Expression<TDelegate> it would make.
        var types = new Type[parameters.Count + 1];
        for (var i = 0; i < parameters.Count; i++)
        {
            types[i] = parameters[i].Type;
        }

        types[^1] = body.Type;
        var delegateType = Expression.GetDelegateType(types);
        return Factories.GetOrAdd(delegateType, MakeFactory)(body, [.. parameters]);
    }

    /// <summary>
    /// Per delegate type, <see cref="Expression.Lambda{TDelegate}(Expression, ParameterExpression[])"/>.
    /// </summary>
    /// <remarks>
    /// The non-generic <see cref="Expression.Lambda(Expression, ParameterExpression[])"/> keeps its
    /// own factory per delegate type in a direct-mapped cache of 50 entries; a 1,000-rule pack over
    /// shared lanes makes hundreds of delegate types, so that cache kept missing and every lambda
    /// paid a reflection lookup (GetMethod, MakeGenericType, CreateDelegate): about 5% of reading,
    /// binding and lowering such a pack (docs/performance.md, round 6). Only where code can be
    /// generated at run time; a Native AOT build takes the plain path above.
    /// </remarks>
    private static readonly ConcurrentDictionary<Type, Func<Expression, ParameterExpression[], LambdaExpression>> Factories = new();

    private static readonly MethodInfo TypedLambda = typeof(LambdaShapes).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!;

    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode",
        Justification = "Only called where RuntimeFeature.IsDynamicCodeSupported.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod",
        Justification = "Only called where RuntimeFeature.IsDynamicCodeSupported, which a Native AOT build removes; Typed has no annotated generic parameter.")]
    private static Func<Expression, ParameterExpression[], LambdaExpression> MakeFactory(Type delegateType) =>
        TypedLambda.MakeGenericMethod(delegateType).CreateDelegate<Func<Expression, ParameterExpression[], LambdaExpression>>();

    private static LambdaExpression Typed<TDelegate>(Expression body, ParameterExpression[] parameters) =>
        Expression.Lambda<TDelegate>(body, parameters);

    /// <summary>An array of strings or objects (a template's parts, an action's matched facts).</summary>
    /// <remarks>
    /// <see cref="Expression.NewArrayInit(Type, IEnumerable{Expression})"/> makes the array type with
    /// <see cref="Type.MakeArrayType()"/>; <c>string[]</c> and <c>object[]</c> are in every AOT binary.
    /// </remarks>
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode",
        Justification = "Only string[] and object[], which every Native AOT binary contains; checked below.")]
    public static NewArrayExpression ArrayOf(Type elementType, IEnumerable<Expression> elements)
    {
        if (elementType != typeof(string) && elementType != typeof(object))
        {
            throw new InvalidOperationException($"a lowered array of {elementType.Name}, not of string or object");
        }

        return Expression.NewArrayInit(elementType, elements);
    }

    /// <summary>The lane whose fact or set type a parameter has; null for any other type.</summary>
    private static Lane? Fixed(Type parameterType)
    {
        foreach (var lane in SignalLanes.All)
        {
            if (lane.Fact == parameterType || lane.Set == parameterType)
            {
                return lane;
            }
        }

        return null;
    }
}
