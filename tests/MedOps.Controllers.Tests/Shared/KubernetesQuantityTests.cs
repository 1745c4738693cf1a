using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class KubernetesQuantityTests
{
    [Theory]
    [InlineData("4", "4")]
    [InlineData("500m", "0.5")]
    [InlineData("16Gi", "17179869184")]
    [InlineData("80G", "80000000000")]
    [InlineData("1e3", "1000")]
    [InlineData("1.5", "1.5")]
    [InlineData(".5", "0.5")]
    [InlineData("+2", "2")]
    [InlineData("-1", "-1")]
    public void Kubernetes_quantities_parse_to_their_exact_value(string text, string expected)
    {
        Assert.True(KubernetesQuantity.TryParse(text, out var quantity, out var value));
        Assert.NotNull(quantity);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("Gi")]
    [InlineData("16GB")]
    [InlineData("1ki")]
    [InlineData("1.5.5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1\n")]
    [InlineData("0x10")]
    [InlineData("1e30")]
    public void Text_that_the_api_server_refuses_is_not_a_quantity(string? text)
    {
        Assert.False(KubernetesQuantity.TryParse(text, out var quantity, out _));
        Assert.Null(quantity);
    }

    [Fact]
    public void Parse_names_the_field_of_an_invalid_quantity()
    {
        var error = Assert.Throws<ArgumentException>(() => KubernetesQuantity.Parse("lots", "resources.cpu"));

        Assert.Contains("resources.cpu \"lots\"", error.Message, StringComparison.Ordinal);
    }
}
