using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace LicenseRisk.Rules.Lowering;

/// <summary>
/// The two expression-tree factories whose shape is only known at run time: a lambda over a
/// variable number of matched facts, and an array of strings or objects. Both are safe under Native
/// AOT for the types we pass, which these methods check; every fixed-shape lambda is built with
/// <see cref="Expression.Lambda{TDelegate}(Expression, ParameterExpression[])"/> instead.
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

        return Expression.Lambda(body, parameters);
    }

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
}
