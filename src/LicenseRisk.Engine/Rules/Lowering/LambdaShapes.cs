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
/// are the run-time shapes the lowerer makes: a condition on one fact of a lane, and the lambdas whose
/// parameters are typed object (<see cref="OverFacts"/>).
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

        // The common shape, a condition on one fact, by its lane's written-out delegate type: the same
        // lambda, without making the delegate type and the Expression<TDelegate> type at run time
        // (under Native AOT the type loader builds each one, about a tenth of a one-dossier score's
        // CPU before this). Every other shape the lowerer makes has object parameters.
        var fixedShape = parameters is [var fact] && body.Type == typeof(bool) && Fixed(fact.Type) is { } lane ? lane.Condition(body, fact) : null;
        if ((fixedShape ?? OverObjects(body, parameters)) is { } written)
        {
            return written;
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
    /// A condition over one to five facts or fact sets, or an action over the NRules context and one to
    /// six, every such parameter typed object (how <see cref="RuleLowerer"/> builds a join, a count or
    /// sum threshold and every action; the body casts a parameter where it reads it): by written-out
    /// delegate types, so that Native AOT compiles them in. Typed by their lanes, these lambdas had a
    /// delegate type per lane or combination of lanes, each made at run time (Native AOT's type loader
    /// built the joins' and actions' types, about a twentieth of a one-dossier score's CPU) and each
    /// reflected on by Expression.Lambda. NRules uses only a lambda's parameters (by name, each
    /// assigned the matched fact cast to its type) and its body, never its delegate type. Null for
    /// any other shape.
    /// </summary>
    private static LambdaExpression? OverObjects(Expression body, IReadOnlyList<ParameterExpression> parameters)
    {
        var first = parameters.Count > 0 && parameters[0].Type == typeof(IContext) ? 1 : 0;
        for (var i = first; i < parameters.Count; i++)
        {
            if (parameters[i].Type != typeof(object))
            {
                return null;
            }
        }

        if (first == 0 && body.Type == typeof(bool))
        {
            return parameters switch
            {
                [var a] => Expression.Lambda<Func<object, bool>>(body, a),
                [var a, var b] => Expression.Lambda<Func<object, object, bool>>(body, a, b),
                [var a, var b, var c] => Expression.Lambda<Func<object, object, object, bool>>(body, a, b, c),
                [var a, var b, var c, var d] => Expression.Lambda<Func<object, object, object, object, bool>>(body, a, b, c, d),
                [var a, var b, var c, var d, var e] => Expression.Lambda<Func<object, object, object, object, object, bool>>(body, a, b, c, d, e),
                _ => null,
            };
        }

        if (first == 1 && body.Type == typeof(void))
        {
            return parameters switch
            {
                [var x, var a] => Expression.Lambda<Action<IContext, object>>(body, x, a),
                [var x, var a, var b] => Expression.Lambda<Action<IContext, object, object>>(body, x, a, b),
                [var x, var a, var b, var c] => Expression.Lambda<Action<IContext, object, object, object>>(body, x, a, b, c),
                [var x, var a, var b, var c, var d] => Expression.Lambda<Action<IContext, object, object, object, object>>(body, x, a, b, c, d),
                [var x, var a, var b, var c, var d, var e] => Expression.Lambda<Action<IContext, object, object, object, object, object>>(body, x, a, b, c, d, e),
                [var x, var a, var b, var c, var d, var e, var f] => Expression.Lambda<Action<IContext, object, object, object, object, object, object>>(body, x, a, b, c, d, e, f),
                _ => null,
            };
        }

        return null;
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

    /// <summary>The lane whose fact type a parameter has; null for any other type.</summary>
    private static Lane? Fixed(Type parameterType)
    {
        foreach (var lane in SignalLanes.All)
        {
            if (lane.Fact == parameterType)
            {
                return lane;
            }
        }

        return null;
    }
}
