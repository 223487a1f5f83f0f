# Module manifest TEMPLATE for HaTools. Do not edit the version here: the staging step
# (dotnet run --project build/HelpGen -- stage) puts VersionPrefix from Directory.Build.props in place of the ModuleVersion placeholder.
@{
    RootModule           = 'HaTools.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '4eac3bec-a343-448d-9552-33e53d89ab7a'
    Author               = 'HaTools contributors'
    CompanyName          = 'HaTools contributors'
    Copyright            = '(c) HaTools contributors'
    Description          = 'Set up and operate high-availability clusters (Pacemaker/Corosync) over SSH, from one description file.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('HaTools.Format.ps1xml')
    CmdletsToExport      = @(
        'Clear-HaResource'
        'ConvertFrom-HareCdf'
        'Get-HaCluster'
        'Get-HaConstraint'
        'Get-HaNode'
        'Get-HaProperty'
        'Get-HaResource'
        'Get-HaStatus'
        'Get-HastStatus'
        'Initialize-HastResource'
        'Invoke-HaCommand'
        'Move-HaResource'
        'New-HaCluster'
        'New-HaConstraint'
        'New-HaResource'
        'Remove-HaCluster'
        'Remove-HaConstraint'
        'Remove-HaResource'
        'Restart-HaResource'
        'Resume-HaNode'
        'Send-HaFile'
        'Set-HaProperty'
        'Set-HastRole'
        'Start-HaBootstrap'
        'Start-HaResource'
        'Stop-HaCluster'
        'Stop-HaResource'
        'Suspend-HaNode'
        'Switch-HastPrimary'
        'Test-HaCluster'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('HA', 'Pacemaker', 'Corosync', 'Cluster', 'Linux')
        }
    }
}
