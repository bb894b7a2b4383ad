"""Agreement numbers (C-02): the payment commitment a provider copies onto the invoice."""

from consultation.numbers import is_well_formed, new_reference_number


def new_agreement_number() -> str:
    """Twelve digits: ten random, two mod-97 check digits."""
    return new_reference_number()


__all__ = ["is_well_formed", "new_agreement_number"]
