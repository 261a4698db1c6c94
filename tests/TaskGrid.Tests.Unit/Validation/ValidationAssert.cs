using TaskGrid.Errors;

namespace TaskGrid.Tests.Unit.Validation;

/// <summary>Asserts that a request is refused and exactly which fields the refusal names.</summary>
internal static class ValidationAssert
{
    public static RequestValidationException NamesOnly(Action validate, params string[] fields)
    {
        var refused = Assert.Throws<RequestValidationException>(validate);
        Assert.Equal(fields.Order(StringComparer.Ordinal), refused.Errors.Keys.Order(StringComparer.Ordinal));
        foreach (var field in fields)
        {
            Assert.All(refused.Errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
            Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        }
        return refused;
    }
}
