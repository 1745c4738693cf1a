using System.ComponentModel;
using System.Reflection;
using MedOps.Api.V1Alpha1;

namespace MedOps.Api.Tests.Serialization;

/// <summary>
/// An object built in C# starts with the same defaults the API server applies from the CRD, so
/// code that builds objects (the TrainingJob registering a model) and code that reads them agree.
/// </summary>
public sealed class DefaultsTests
{
    public static TheoryData<Type, string> PropertiesWithDefaults()
    {
        var data = new TheoryData<Type, string>();
        foreach (var type in typeof(GroupVersion).Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null))
        {
            foreach (var property in type.GetProperties().Where(p => p.DeclaringType == type && p.GetCustomAttribute<DefaultValueAttribute>() is not null))
            {
                data.Add(type, property.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PropertiesWithDefaults))]
    public void A_new_object_holds_the_default_the_crd_declares(Type type, string propertyName)
    {
        var property = type.GetProperty(propertyName)!;
        var declared = property.GetCustomAttribute<DefaultValueAttribute>()!.Value;

        var actual = property.GetValue(Activator.CreateInstance(type));

        Assert.Equal(declared, actual);
    }
}
