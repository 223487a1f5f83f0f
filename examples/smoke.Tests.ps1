#Requires -Version 5.1
<#
.SYNOPSIS
    HA smoke test of YOUR cluster: the VIP fails over when the node holding it goes to standby.

.DESCRIPTION
    Runs against the cluster named by $env:HATOOLS_CLUSTER (a cluster file). It changes the cluster for a short
    while: the node holding the VIP is put in standby and resumed at the end, also when a check fails.

        $env:HATOOLS_CLUSTER = '~/clusters/web.yaml'
        Invoke-Pester ./examples/smoke.Tests.ps1
        # another VIP resource name or bound:
        Invoke-Pester -Container (New-PesterContainer -Path ./examples/smoke.Tests.ps1 -Data @{ Vip = 'web-ip'; FailoverTimeoutSec = 90 })

    Import HaTools first, or set $env:HATOOLS_MODULE to the staged manifest (out/HaTools/<version>/HaTools.psd1).
#>
param(
    # The resource that must move: usually the floating IP address.
    [string] $Vip = 'vip',
    # How long the VIP may take to run elsewhere.
    [int] $FailoverTimeoutSec = 60
)

BeforeAll {
    if (-not $env:HATOOLS_CLUSTER) { throw 'Set $env:HATOOLS_CLUSTER to your cluster file.' }
    if ($env:HATOOLS_MODULE) { Import-Module $env:HATOOLS_MODULE -Force }
    elseif (-not (Get-Module HaTools)) { Import-Module HaTools }

    $script:running = 'Started', 'Promoted', 'Unpromoted'

    function Wait-HaResourceElsewhere([string] $Name, [string] $From, [int] $TimeoutSec) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        do {
            $resource = Get-HaResource -Name $Name -ErrorAction SilentlyContinue
            if ($resource -and $resource.Role -eq 'Started' -and $resource.Node -and $resource.Node -ne $From) { return $resource }
            Start-Sleep -Seconds 1
        } while ([DateTime]::UtcNow -lt $deadline)
        Get-HaResource -Name $Name
    }
}

Describe "HA smoke test of $env:HATOOLS_CLUSTER" {
    It 'the cluster is quorate with every node online' {
        $status = Get-HaStatus -ErrorAction Stop
        $status.Quorate | Should -BeTrue
        $status.Nodes | Where-Object { -not $_.Online -or $_.Standby } | Should -BeNullOrEmpty
    }

    It 'every resource is started' {
        Get-HaResource -ErrorAction Stop | Where-Object Role -notin $script:running | Should -BeNullOrEmpty
    }

    It "the VIP '$Vip' runs elsewhere within $FailoverTimeoutSec s when its node goes to standby" {
        $from = (Get-HaResource -Name $Vip -ErrorAction Stop).Node
        $from | Should -Not -BeNullOrEmpty -Because "$Vip must run somewhere before the test"
        try {
            $elapsed = Measure-Command {
                Get-HaNode -Name $from | Suspend-HaNode -Wait -TimeoutSec $FailoverTimeoutSec -Confirm:$false -ErrorAction Stop
                $script:after = Wait-HaResourceElsewhere -Name $Vip -From $from -TimeoutSec $FailoverTimeoutSec
            }
            $script:after.Node | Should -Not -Be $from
            $script:after.Role | Should -Be 'Started'
            $elapsed.TotalSeconds | Should -BeLessOrEqual $FailoverTimeoutSec
        }
        finally {
            Resume-HaNode -Name $from -Wait -Confirm:$false
        }
    }

    It 'no resource is left failed and no node in standby' {
        Get-HaResource -ErrorAction Stop | Where-Object { $_.Failed -or $_.FailCount -gt 0 } | Should -BeNullOrEmpty
        Get-HaNode | Where-Object Standby | Should -BeNullOrEmpty
    }
}
