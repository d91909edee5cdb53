// `@someone` as typed becomes `<@someone>`, the service's mention syntax (ADR 0404): the person mentioned is told.
// An id may itself hold one `@` (the dev sign-in's `role@tenant`); punctuation that ends a sentence is not part of it.
const MENTION_TYPED = /(^|\s)@([^\s<>@]+(?:@[^\s<>@]+)?)/g;

export const withMentions = (text: string): string =>
  text.replace(MENTION_TYPED, (_, space: string, typed: string) => {
    const who = typed.replace(/[.,;:!?)]+$/, '');
    return who ? `${space}<@${who}>${typed.slice(who.length)}` : `${space}@${typed}`;
  });
